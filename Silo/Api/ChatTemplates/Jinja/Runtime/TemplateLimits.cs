namespace Cluster.Silo.Api.ChatTemplates.Jinja.Runtime;

/// <summary>
/// Bounds that keep a hostile chat template (a tokenizer_config.json is downloaded, not written
/// here) from taking the process down: deep nesting would overflow the stack, which no catch
/// survives; unbounded loops and growing strings would hold a request thread or the memory. Real
/// templates stay far inside them (they nest a few levels and loop over the messages).
/// </summary>
public static class TemplateLimits
{
    /// <summary>Blocks (if, for) inside one another, and parentheses, lists and calls inside one expression.</summary>
    public const int MaxNesting = 64;

    /// <summary>Tokens of one tag: a chain of operators is parsed by a loop but evaluated by recursion, one frame per operator.</summary>
    public const int MaxTagTokens = 1024;

    /// <summary>Loop iterations of one render, all loops together.</summary>
    public const int MaxLoopIterations = 100_000;

    /// <summary>Characters of the rendered prompt, and of any one string a template builds.</summary>
    public const int MaxChars = 16 * 1024 * 1024;

    /// <summary>Items of any one list a template builds (range(), concatenation).</summary>
    public const int MaxListItems = 100_000;

    public static string Checked(string value) =>
        value.Length <= MaxChars ? value : throw new TemplateException($"the template built a string of {value.Length} characters, more than its limit of {MaxChars}");

    /// <summary>Refuses a string before it is built, when its length is known in advance.</summary>
    public static void EnsureChars(long length)
    {
        if (length > MaxChars) throw new TemplateException($"the template would build a string of {length} characters, more than its limit of {MaxChars}");
    }

    public static void EnsureItems(long count)
    {
        if (count > MaxListItems) throw new TemplateException($"the template would build a list of {count} items, more than its limit of {MaxListItems}");
    }
}
