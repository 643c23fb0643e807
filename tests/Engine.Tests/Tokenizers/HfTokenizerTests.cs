using System.Text.Json;
using System.Text.Json.Nodes;
using Cluster.Engine.Formats;
using Cluster.Engine.Formats.Gguf;
using Cluster.Engine.Tokenizers.ByteLevel;
using Cluster.Engine.Tokenizers.HuggingFace;
using Cluster.Engine.Tokenizers.SentencePiece;
using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tests.Tokenizers;

public sealed class HfTokenizerTests
{
    private static string StoriesJson => SharedModels.Path("stories260K-hf", "tokenizer.json");

    [SharedModelFact]
    public void Encode_WhenSentencePieceFormGoldenCases_MatchesLlama2cIds()
    {
        var tokenizer = HfTokenizerReader.Read(StoriesJson);

        Assert.IsType<SentencePieceTokenizer>(tokenizer);
        foreach (var (text, ids) in TokenizerGoldens.EncodeCases())
            Assert.Equal(ids, tokenizer.Encode(text, addBos: true));
        var (prompt, promptIds, _, _) = TokenizerGoldens.Greedy();
        Assert.Equal(promptIds, tokenizer.Encode(prompt, addBos: true));
    }

    [SharedModelFact]
    public void Encode_WhenSentencePieceFormLongStory_MatchesLlama2cTokenizer()
    {
        var hf = HfTokenizerReader.Read(StoriesJson);
        var llama2c = Llama2cTokenizerReader.Read(SharedModels.Path("stories260K", "tok512.bin"));
        string text = TokenizerGoldens.Greedy().Text + " Ünïcödé 中文 🦙 tabs\tand  double  spaces.";

        Assert.Equal(llama2c.Encode(text, addBos: true), hf.Encode(text, addBos: true));
        Assert.Equal(text, hf.Decode(hf.Encode(text, addBos: true)));
    }

    [SharedModelFact]
    public void Read_WhenTokenizerConfigBeside_TakesBosEosAndAddBos()
    {
        var tokenizer = HfTokenizerReader.Read(StoriesJson);

        Assert.Equal(1, tokenizer.BosId);
        Assert.Equal([2], tokenizer.EosIds);
        Assert.True(tokenizer.AddBos);
        Assert.Equal(512, tokenizer.VocabSize);
    }

    [SharedModelFact]
    public void Encode_WhenMetaspacePreTokenizerInsteadOfNormalizer_GivesSameIds()
    {
        var json = JsonNode.Parse(File.ReadAllText(StoriesJson))!;
        json["normalizer"] = null;
        json["pre_tokenizer"] = JsonNode.Parse("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":false}""");
        string path = TempFiles.Write("tokenizer.json", json.ToJsonString());
        var metaspace = HfTokenizerReader.Read(path);
        var original = HfTokenizerReader.Read(StoriesJson);
        const string text = "Lily and Tom went to the park. They played  ball!";

        Assert.Equal(original.Encode(text, addBos: false), metaspace.Encode(text, addBos: false));
    }

    [SharedModelTheory]
    [InlineData("ggml-vocab-gpt-2.gguf")]
    public void Encode_WhenByteLevelFormBuiltFromGpt2Vocab_MatchesLlamaCppVectors(string vocab)
    {
        string path = ByteLevelJsonFrom(SharedModels.Path("llamacpp-vocab", vocab));
        var tokenizer = HfTokenizerReader.Read(path);

        Assert.IsType<ByteLevelBpeTokenizer>(tokenizer);
        foreach (var (input, expected) in LlamaCppVocabTests.ReadCases(vocab))
            Assert.Equal(expected, tokenizer.Encode(input, addBos: false, parseSpecial: false));
    }

    [SharedModelFact]
    public void Encode_WhenByteLevelFormAndSpecialTokenInText_ParsesItByDefault()
    {
        var tokenizer = HfTokenizerReader.Read(ByteLevelJsonFrom(SharedModels.Path("llamacpp-vocab", "ggml-vocab-gpt-2.gguf")));
        int endOfText = tokenizer.Vocabulary.Find("<|endoftext|>")!.Value;

        var parsed = tokenizer.Encode("Hi<|endoftext|>", addBos: false);
        var literal = tokenizer.Encode("Hi<|endoftext|>", addBos: false, parseSpecial: false);

        Assert.Equal(endOfText, parsed[^1]);
        Assert.DoesNotContain(endOfText, literal);
        Assert.Equal("Hi", tokenizer.Decode(parsed));
    }

    [Fact]
    public void Read_WhenFileIsNotJson_ThrowsNamingFile()
    {
        string path = TempFiles.Write("tokenizer.json", "{ this is not json");

        var error = Assert.Throws<ModelFormatException>(() => HfTokenizerReader.Read(path));

        Assert.Equal(path, error.File);
        Assert.Contains("not valid JSON", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenModelIsUnigram_ThrowsUnsupported()
    {
        string path = TempFiles.Write("tokenizer.json", """{"model":{"type":"Unigram","vocab":[["a",0.0]]}}""");

        var error = Assert.Throws<ModelFormatException>(() => HfTokenizerReader.Read(path));

        Assert.Contains("'Unigram' is not supported", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenVocabHasWrongJsonType_ThrowsModelFormatException()
    {
        string path = TempFiles.Write("tokenizer.json", """{"model":{"type":"BPE","vocab":{"a":"zero"},"merges":[]},"pre_tokenizer":{"type":"ByteLevel"}}""");

        var error = Assert.Throws<ModelFormatException>(() => HfTokenizerReader.Read(path));

        Assert.Equal(path, error.File);
    }

    [Fact]
    public void Read_WhenTokenizerConfigIsNotJson_ThrowsNamingConfig()
    {
        string directory = TempFiles.Directory();
        File.WriteAllText(Path.Combine(directory, "tokenizer.json"), """{"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"pre_tokenizer":{"type":"ByteLevel"}}""");
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), "<html>");

        var error = Assert.Throws<ModelFormatException>(() => HfTokenizerReader.Read(Path.Combine(directory, "tokenizer.json")));

        Assert.EndsWith("tokenizer_config.json", error.File, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenTemplateProcessingAddsBosAndConfigIsSilent_AddsBos()
    {
        const string json = """
            {"added_tokens":[{"id":3,"content":"<|begin|>","special":true}],
             "model":{"type":"BPE","vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]},
             "pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false,"use_regex":true},
             "post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<|begin|>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}]}}
            """;
        var tokenizer = HfTokenizerReader.Read(TempFiles.Write("tokenizer.json", json));

        Assert.True(tokenizer.AddBos);
        Assert.Equal([3, 2], tokenizer.Encode("ab", tokenizer.AddBos));
    }

    /// <summary>A byte-level tokenizer.json (GPT-2's layout) holding a GGUF file's vocabulary and merges.</summary>
    private static string ByteLevelJsonFrom(string ggufPath)
    {
        using var gguf = GgufFile.Open(ggufPath);
        var tokens = (string[])gguf.Metadata["tokenizer.ggml.tokens"];
        var types = (int[])gguf.Metadata["tokenizer.ggml.token_type"];
        var vocab = new JsonObject();
        var added = new JsonArray();
        for (int i = 0; i < tokens.Length; i++)
        {
            vocab[tokens[i]] = i;
            if ((TokenKind)types[i] == TokenKind.Control)
                added.Add(new JsonObject { ["id"] = i, ["content"] = tokens[i], ["special"] = true });
        }
        var json = new JsonObject
        {
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = JsonNode.Parse("""{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true}"""),
            ["decoder"] = JsonNode.Parse("""{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true}"""),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["vocab"] = vocab,
                ["merges"] = new JsonArray(((string[])gguf.Metadata["tokenizer.ggml.merges"]).Select(m => (JsonNode?)m).ToArray()),
            },
        };
        return TempFiles.Write("tokenizer.json", json.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
