using Cluster.Silo.Api.ChatTemplates.Jinja.Expressions;
using Cluster.Silo.Api.ChatTemplates.Jinja.Statements;
using Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

namespace Cluster.Silo.Api.ChatTemplates.Jinja.Syntax;

/// <summary>
/// Builds the node tree from the lexed segments. The statements chat templates use are
/// <c>if/elif/else</c>, <c>for</c> (with <c>else</c> and an inline filter) and <c>set</c>; any
/// other tag (macro, call, include, block set, ...) fails compilation with its name and line.
/// </summary>
public sealed class TemplateParser(IReadOnlyList<Segment> segments)
{
    private int _at;
    private int _depth;

    public static IReadOnlyList<Node> Parse(string source)
    {
        var parser = new TemplateParser(TemplateLexer.Lex(source));
        var (nodes, end) = parser.ParseBlock(new HashSet<string>());
        return end is null ? nodes : throw new TemplateException($"'{end}' has no opening tag");
    }

    /// <summary>Nodes up to a statement whose keyword is one of <paramref name="ends"/> (returned with its parser), or the end.</summary>
    private (List<Node> Nodes, string? End) ParseBlock(IReadOnlySet<string> ends, Action<ExpressionParser>? onEnd = null)
    {
        // Rendering recurses as deep as the blocks nest: refused here, before it could overflow the stack.
        if (++_depth > TemplateLimits.MaxNesting) throw new TemplateException($"blocks nest deeper than {TemplateLimits.MaxNesting} levels");
        try
        {
            return ParseBlockBody(ends, onEnd);
        }
        finally
        {
            _depth--;
        }
    }

    private (List<Node> Nodes, string? End) ParseBlockBody(IReadOnlySet<string> ends, Action<ExpressionParser>? onEnd)
    {
        var nodes = new List<Node>();
        while (_at < segments.Count)
        {
            var segment = segments[_at++];
            if (segment.Tokens.Count > TemplateLimits.MaxTagTokens)
                throw new TemplateException($"line {segment.Line}: a tag of {segment.Tokens.Count} tokens, more than the limit of {TemplateLimits.MaxTagTokens}");
            switch (segment.Kind)
            {
                case SegmentKind.Text:
                    nodes.Add(new TextNode(segment.Text));
                    break;
                case SegmentKind.Output:
                    var output = new ExpressionParser(segment.Tokens);
                    nodes.Add(new OutputNode(output.Parse()));
                    output.ExpectEnd();
                    break;
                default:
                    var statement = new ExpressionParser(segment.Tokens);
                    var keywordToken = statement.Peek;
                    string keyword = statement.ExpectName();
                    if (ends.Contains(keyword))
                    {
                        onEnd?.Invoke(statement);
                        return (nodes, keyword);
                    }
                    nodes.Add(keyword switch
                    {
                        "if" => ParseIf(statement),
                        "for" => ParseFor(statement),
                        "set" => ParseSet(statement),
                        _ => throw statement.Error($"unsupported tag '{keyword}'", keywordToken),
                    });
                    break;
            }
        }
        if (ends.Count > 0) throw new TemplateException($"the template ends before '{string.Join("' or '", ends)}'");
        return (nodes, null);
    }

    private IfNode ParseIf(ExpressionParser statement)
    {
        var branches = new List<(Expression, IReadOnlyList<Node>)>();
        var condition = statement.Parse();
        statement.ExpectEnd();
        while (true)
        {
            Expression? next = null;
            var (body, end) = ParseBlock(new HashSet<string> { "elif", "else", "endif" }, p =>
            {
                if (p.Peek.Kind == TokenKind.End) return;
                next = p.Parse();
                p.ExpectEnd();
            });
            branches.Add((condition, body));
            if (end == "endif") return new IfNode(branches, []);
            if (end == "else")
            {
                var (elseBody, _) = ParseBlock(new HashSet<string> { "endif" });
                return new IfNode(branches, elseBody);
            }
            condition = next ?? throw new TemplateException("'elif' needs a condition");
        }
    }

    private ForNode ParseFor(ExpressionParser statement)
    {
        var targets = new List<string> { statement.ExpectName() };
        while (statement.Accept(",")) targets.Add(statement.ExpectName());
        statement.Expect("in");
        // "items if cond" reads as a conditional expression without else: in a for tag that is the loop's filter.
        var items = statement.Parse();
        Expression? filter = null;
        if (items is ConditionalExpression { Else: null } conditional) (items, filter) = (conditional.Then, conditional.Condition);
        if (statement.Accept("recursive")) throw statement.Error("unsupported: recursive loops");
        statement.ExpectEnd();
        var (body, end) = ParseBlock(new HashSet<string> { "else", "endfor" });
        var elseBody = end == "else" ? ParseBlock(new HashSet<string> { "endfor" }).Nodes : [];
        return new ForNode(targets, items, filter, body, elseBody);
    }

    private static SetNode ParseSet(ExpressionParser statement)
    {
        string name = statement.ExpectName();
        string? attribute = statement.Accept(".") ? statement.ExpectName() : null;
        if (!statement.Accept("=")) throw statement.Error("unsupported: block set ({% set x %}...{% endset %}) or tuple assignment");
        var value = statement.Parse();
        statement.ExpectEnd();
        return new SetNode(name, attribute, value);
    }
}
