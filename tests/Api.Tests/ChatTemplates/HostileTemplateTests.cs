using System.Text;
using Cluster.Silo.Api.ChatTemplates;

namespace Cluster.Api.Tests.ChatTemplates;

/// <summary>
/// A chat template comes from a downloaded tokenizer_config.json: one written to hurt must fail its
/// load or its render with a <see cref="TemplateException"/>, never overflow the stack (which kills
/// the process) or run without end. Each runs on a thread with a small stack, so a bound that is
/// missing would show here as a crash rather than as a slow test.
/// </summary>
public sealed class HostileTemplateTests
{
    private static readonly ChatMessage[] Messages = [new("user", "hi")];

    public static TheoryData<string, string, string> Templates => new()
    {
        { "recursive macro", "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}", "unsupported tag 'macro'" },
        { "recursive loop", "{% for m in messages recursive %}{{ loop(messages) }}{% endfor %}", "recursive loops" },
        { "deeply nested ifs", Repeat("{% if true %}", 100_000) + "x" + Repeat("{% endif %}", 100_000), "nest deeper than 64" },
        { "deeply nested parentheses", "{{ " + Repeat("(", 300) + "1" + Repeat(")", 300) + " }}", "nests deeper than 64" },
        { "an operator chain", "{{ 'a'" + Repeat(" ~ 'a'", 100_000) + " }}", "more than the limit of 1024" },
        { "a huge range", "{% for i in range(10000000000) %}x{% endfor %}", "a list of 10000000000 items" },
        { "nested loops", "{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}", "more than 100000 loop iterations" },
        { "a huge repetition", "{{ 'x' * 10000000000 }}", "a string of 10000000000 characters" },
        { "a doubling string", "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}", "more than its limit" },
        { "a growing replace", "{% set ns = namespace(s='x' * 1000) %}{% for i in range(8) %}{% set ns.s = ns.s.replace('x', 'xxxxxxxxxx') %}{% endfor %}", "more than its limit" },
        { "a huge output", "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", "output passed its limit" },
    };

    [Theory]
    [MemberData(nameof(Templates))]
    public void LoadOrRender_WhenTemplateIsHostile_FailsWithTemplateException(string what, string source, string reason)
    {
        Exception? failure = null;
        // 256 KiB: far less than a thread-pool thread's stack, so unbounded recursion would surely overflow.
        var thread = new Thread(() => failure = Record.Exception(() => ChatTemplate.Parse(source).Render(Messages, true, "<s>", "</s>")), 256 * 1024);
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)), $"{what}: still running after 30 s");
        var refused = Assert.IsType<TemplateException>(failure);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();
}
