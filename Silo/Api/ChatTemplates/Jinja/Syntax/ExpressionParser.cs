using System.Globalization;
using Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;
using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Syntax;

/// <summary>
/// Recursive descent over one tag's tokens with Jinja's precedence, lowest first: conditional,
/// or, and, not, comparison (and in, is), + -, ~, * / // %, unary minus, then postfix (attribute,
/// index, call) and filters.
/// </summary>
public sealed class ExpressionParser(IReadOnlyList<Token> tokens)
{
    private int _at;
    private int _depth;

    public Token Peek => tokens[_at];

    public bool AtEnd => Peek.Kind == TokenKind.End;

    public Token Next() => tokens[_at++];

    public bool Accept(string op)
    {
        if (!Peek.IsOperator(op) && !Peek.IsName(op)) return false;
        _at++;
        return true;
    }

    public void Expect(string op)
    {
        if (!Accept(op)) throw Error($"expected '{op}'");
    }

    public string ExpectName()
    {
        var token = Next();
        return token.Kind == TokenKind.Name ? token.Text : throw Error($"expected a name, found '{token.Text}'", token);
    }

    public void ExpectEnd()
    {
        if (!AtEnd) throw Error($"unexpected '{Peek.Text}'");
    }

    public TemplateException Error(string message, Token? token = null) => new($"line {(token ?? Peek).Line}: {message}");

    public Expression Parse()
    {
        // Every nested construct (parentheses, lists, dicts, arguments, subscripts) comes back here.
        if (++_depth > TemplateLimits.MaxNesting) throw Error($"the expression nests deeper than {TemplateLimits.MaxNesting} levels");
        try
        {
            return ParseConditional();
        }
        finally
        {
            _depth--;
        }
    }

    private Expression ParseConditional()
    {
        var value = ParseOr();
        if (!Accept("if")) return value;
        var condition = ParseOr();
        return new ConditionalExpression(condition, value, Accept("else") ? Parse() : null);
    }

    private Expression ParseOr()
    {
        var left = ParseAnd();
        while (Accept("or")) left = new LogicalExpression(false, left, ParseAnd());
        return left;
    }

    private Expression ParseAnd()
    {
        var left = ParseNot();
        while (Accept("and")) left = new LogicalExpression(true, left, ParseNot());
        return left;
    }

    private Expression ParseNot() => Accept("not") ? new UnaryExpression("not", ParseNot()) : ParseComparison();

    private Expression ParseComparison()
    {
        var left = ParseAdditive();
        while (true)
        {
            if (Peek.Kind == TokenKind.Operator && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">=")
                left = new BinaryExpression(Next().Text, left, ParseAdditive());
            else if (Accept("in"))
                left = new BinaryExpression("in", left, ParseAdditive());
            else if (Peek.IsName("not") && tokens[_at + 1].IsName("in"))
            {
                _at += 2;
                left = new BinaryExpression("not in", left, ParseAdditive());
            }
            else if (Accept("is"))
                left = ParseTest(left);
            else
                return left;
        }
    }

    private Expression ParseTest(Expression value)
    {
        bool negated = Accept("not");
        var nameToken = Next();
        // "none", "true", "false" are names here even though they are also literals.
        string name = nameToken.Kind == TokenKind.Name ? nameToken.Text.ToLowerInvariant() : throw Error("expected a test name after 'is'", nameToken);
        if (!Builtins.TestNames.Contains(name)) throw Error($"unsupported test '{name}'", nameToken);
        var args = new List<Expression>();
        if (Peek.IsOperator("("))
        {
            Next();
            if (!Accept(")"))
            {
                do args.Add(Parse()); while (Accept(","));
                Expect(")");
            }
        }
        return new TestExpression(value, name, args, negated);
    }

    private Expression ParseAdditive()
    {
        var left = ParseConcat();
        while (Peek.Kind == TokenKind.Operator && Peek.Text is "+" or "-") left = new BinaryExpression(Next().Text, left, ParseConcat());
        return left;
    }

    private Expression ParseConcat()
    {
        var left = ParseMultiplicative();
        while (Accept("~")) left = new BinaryExpression("~", left, ParseMultiplicative());
        return left;
    }

    private Expression ParseMultiplicative()
    {
        var left = ParseUnary();
        while (Peek.Kind == TokenKind.Operator && Peek.Text is "*" or "/" or "//" or "%" or "**") left = new BinaryExpression(Next().Text, left, ParseUnary());
        return left;
    }

    private Expression ParseUnary()
    {
        if (Peek.Kind == TokenKind.Operator && Peek.Text is "-" or "+") return new UnaryExpression(Next().Text, ParseUnary());
        return ParseFilters(ParsePostfix(ParsePrimary()));
    }

    private Expression ParseFilters(Expression value)
    {
        while (Accept("|"))
        {
            var nameToken = Peek;
            string name = ExpectName();
            if (!Builtins.FilterNames.Contains(name)) throw Error($"unsupported filter '{name}'", nameToken);
            var (args, kwargs) = Peek.IsOperator("(") ? ParseArguments() : ([], new Dictionary<string, Expression>());
            value = new FilterExpression(value, name, args, kwargs);
        }
        return value;
    }

    private Expression ParsePostfix(Expression value)
    {
        while (true)
        {
            if (Accept("."))
            {
                value = new AttributeAccess(value, ExpectName());
            }
            else if (Peek.IsOperator("("))
            {
                var (args, kwargs) = ParseArguments();
                value = new CallExpression(value, args, kwargs);
            }
            else if (Accept("["))
            {
                value = ParseSubscript(value);
            }
            else
            {
                return value;
            }
        }
    }

    private Expression ParseSubscript(Expression target)
    {
        Expression? start = Peek.IsOperator(":") ? null : Parse();
        if (Accept("]")) return new IndexAccess(target, start!);
        Expect(":");
        Expression? stop = Peek.IsOperator(":") || Peek.IsOperator("]") ? null : Parse();
        Expression? step = null;
        if (Accept(":") && !Peek.IsOperator("]")) step = Parse();
        Expect("]");
        return new SliceAccess(target, start, stop, step);
    }

    private (List<Expression> Args, Dictionary<string, Expression> Kwargs) ParseArguments()
    {
        Expect("(");
        var args = new List<Expression>();
        var kwargs = new Dictionary<string, Expression>();
        if (Accept(")")) return (args, kwargs);
        do
        {
            if (Peek.Kind == TokenKind.Name && tokens[_at + 1].IsOperator("="))
            {
                string key = Next().Text;
                Next();
                kwargs[key] = Parse();
            }
            else
            {
                args.Add(Parse());
            }
        }
        while (Accept(","));
        Expect(")");
        return (args, kwargs);
    }

    private Expression ParsePrimary()
    {
        var token = Next();
        switch (token.Kind)
        {
            case TokenKind.String:
                // Adjacent string literals concatenate, as in Python.
                string text = token.Text;
                while (Peek.Kind == TokenKind.String) text += Next().Text;
                return new Literal(text);
            case TokenKind.Integer:
                return new Literal(long.Parse(token.Text, CultureInfo.InvariantCulture));
            case TokenKind.Float:
                return new Literal(double.Parse(token.Text, CultureInfo.InvariantCulture));
            case TokenKind.Name:
                return token.Text switch
                {
                    "true" or "True" => new Literal(true),
                    "false" or "False" => new Literal(false),
                    "none" or "None" => new Literal(null),
                    _ => new NameReference(token.Text),
                };
            case TokenKind.Operator when token.Text == "(":
                var first = Parse();
                if (Accept(")")) return first;
                var items = new List<Expression> { first };
                while (Accept(",") && !Peek.IsOperator(")")) items.Add(Parse());
                Expect(")");
                return new ListLiteral(items);
            case TokenKind.Operator when token.Text == "[":
                var list = new List<Expression>();
                while (!Accept("]"))
                {
                    list.Add(Parse());
                    if (!Accept(",")) { Expect("]"); break; }
                }
                return new ListLiteral(list);
            case TokenKind.Operator when token.Text == "{":
                var entries = new List<(Expression, Expression)>();
                while (!Accept("}"))
                {
                    var key = Parse();
                    Expect(":");
                    entries.Add((key, Parse()));
                    if (!Accept(",")) { Expect("}"); break; }
                }
                return new DictLiteral(entries);
            default:
                throw Error(token.Kind == TokenKind.End ? "the expression ends too early" : $"unexpected '{token.Text}'", token);
        }
    }
}
