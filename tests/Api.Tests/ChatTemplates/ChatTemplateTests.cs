using Cluster.Silo.Api.ChatTemplates;

namespace Cluster.Api.Tests.ChatTemplates;

/// <summary>The chat templates of well-known model families, as their tokenizer_config.json files carry them.</summary>
public sealed class ChatTemplateTests
{
    private const string Llama2 =
        "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}" +
        "{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}" +
        "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}" +
        "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
        "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}" +
        "{% else %}{% set content = message['content'] %}{% endif %}" +
        "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}" +
        "{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

    private const string ChatMl =
        "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}" +
        "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}" +
        "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private const string Llama3 =
        "{% set loop_messages = messages %}{% for message in loop_messages %}" +
        "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}" +
        "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    private const string Zephyr =
        "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\\n' + message['content'] + eos_token }}\n" +
        "{% elif message['role'] == 'system' %}\n{{ '<|system|>\\n' + message['content'] + eos_token }}\n" +
        "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\\n'  + message['content'] + eos_token }}\n{% endif %}\n" +
        "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";

    private static readonly ChatMessage[] Conversation = [new("system", "Be brief."), new("user", " Hi "), new("assistant", "Hello"), new("user", "Bye")];

    [Fact]
    public void Render_WhenLlama2WithSystem_PutsSystemInsideFirstInst()
    {
        string text = ChatTemplate.Parse(Llama2).Render(Conversation, true, "<s>", "</s>");
        // strip() trims the joined content's ends only, as in Python: the user's leading space stays after the system block.
        Assert.Equal("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\n Hi [/INST] Hello </s><s>[INST] Bye [/INST]", text);
    }

    [Fact]
    public void Render_WhenLlama2RolesDoNotAlternate_RaisesTheTemplatesMessage()
    {
        var error = Assert.Throws<TemplateException>(() =>
            ChatTemplate.Parse(Llama2).Render([new("user", "a"), new("user", "b")], true, "<s>", "</s>"));
        Assert.Contains("must alternate", error.Message);
    }

    [Fact]
    public void Render_WhenChatMlWithoutSystem_AddsDefaultSystemAndGenerationPrompt()
    {
        string text = ChatTemplate.Parse(ChatMl).Render([new("user", "Hi")], true, "", "<|im_end|>");
        Assert.Equal("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", text);
    }

    [Fact]
    public void Render_WhenLlama3_TrimsContentAndStartsWithBos()
    {
        string text = ChatTemplate.Parse(Llama3).Render([new("user", "  Hi \n")], true, "<|begin_of_text|>", "<|eot_id|>");
        Assert.Equal("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", text);
    }

    [Fact]
    public void Render_WhenZephyrWithTrimBlocks_KeepsOnlyOutputNewlines()
    {
        string text = ChatTemplate.Parse(Zephyr).Render([new("system", "S"), new("user", "Hi")], true, "<s>", "</s>");
        Assert.Equal("<|system|>\nS</s>\n<|user|>\nHi</s>\n<|assistant|>\n", text);
    }

    [Fact]
    public void Render_WhenWhitespaceControlMarkers_StripsAroundTags()
    {
        string text = ChatTemplate.Parse("a  {%- if true -%}  b  {%- endif -%}  c").Render([], false, "", "");
        Assert.Equal("abc", text);
    }

    [Fact]
    public void Render_WhenNamespaceCarriesValueOutOfLoop_SeesIt()
    {
        const string source = "{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + m.content | length %}{% endfor %}{{ ns.n }}";
        Assert.Equal("5", ChatTemplate.Parse(source).Render([new("user", "ab"), new("user", "cde")], false, "", ""));
    }

    [Fact]
    public void Render_WhenExpressionsUseFiltersAndTests_FollowsJinja()
    {
        const string source = "{{ messages | length }}|{{ 'x' ~ 1 }}|{{ messages[0].role | upper }}|{{ 'a' in 'cat' }}|" +
            "{{ messages[-1]['content'] is string }}|{{ {'k': [1, 'v']} | tojson }}|{% for m in messages if m.role == 'user' %}{{ loop.index }}{% else %}none{% endfor %}|" +
            "{{ missing is defined }}|{{ 'y' if not missing else 'n' }}";
        string text = ChatTemplate.Parse(source).Render([new("system", "s"), new("user", "u")], false, "", "");
        Assert.Equal("2|x1|SYSTEM|True|True|{\"k\": [1, \"v\"]}|1|False|y", text);
    }

    [Theory]
    [InlineData("{% macro greet() %}hi{% endmacro %}", "unsupported tag 'macro'")]
    [InlineData("{{ x | wordwrap }}", "unsupported filter 'wordwrap'")]
    [InlineData("{% if x %}never closed", "ends before")]
    [InlineData("{{ x is sameas y }}", "unsupported test 'sameas'")]
    public void Parse_WhenConstructIsUnsupported_NamesIt(string source, string expected)
    {
        var error = Assert.Throws<TemplateException>(() => ChatTemplate.Parse(source));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void DefaultTemplate_WhenSystemAndUser_WritesRolesAndAssistantPrompt()
    {
        string text = DefaultChatTemplate.Instance.Render([new("system", "Be kind."), new("user", "Hi")], true, "<s>", "</s>");
        Assert.Equal("Be kind.\n\nUser: Hi\nAssistant:", text);
    }
}
