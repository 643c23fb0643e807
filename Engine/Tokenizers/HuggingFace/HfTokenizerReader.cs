using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cluster.Engine.Formats;
using Cluster.Engine.Tokenizers.Bpe;
using Cluster.Engine.Tokenizers.ByteLevel;
using Cluster.Engine.Tokenizers.SentencePiece;
using Cluster.Engine.Tokenizers.Vocab;

namespace Cluster.Engine.Tokenizers.HuggingFace;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> with a BPE model, in one of its two common shapes:
/// SentencePiece-style (spaces as "▁" via a Replace normalizer or Metaspace pre-tokenizer, byte
/// fallback; Llama 1/2, Mistral) or byte-level (ByteLevel pre-tokenizer; GPT-2, Llama 3, Qwen2).
/// Anything else fails at load rather than producing different ids from the model's own tokenizer.
/// </summary>
public static class HfTokenizerReader
{
    public static BpeTokenizer Read(string tokenizerJsonPath)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(tokenizerJsonPath))!;
        var config = HfTokenizerConfig.Read(directory);
        using var document = HfTokenizerConfig.Parse(tokenizerJsonPath);
        try
        {
            return Read(tokenizerJsonPath, document.RootElement, config);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or ArgumentException)
        {
            // JsonElement throws these for members of the wrong JSON type.
            throw new ModelFormatException(tokenizerJsonPath, $"unexpected tokenizer.json layout ({e.Message})", e);
        }
    }

    private static BpeTokenizer Read(string path, JsonElement root, HfTokenizerConfig config)
    {
        var model = root.Member("model") ?? throw new ModelFormatException(path, "no 'model' section: not a tokenizer.json");
        string type = model.String("type") ?? (model.Member("merges") is null ? "unknown" : "BPE");
        if (type != "BPE")
            throw new ModelFormatException(path, $"tokenizer model '{type}' is not supported (BPE is)");

        bool byteFallback = model.Bool("byte_fallback") ?? false;
        var vocabulary = Vocabulary(path, root, model, byteFallback);
        var merges = new RankMergeRule(vocabulary, Merges(path, model), out _);
        var metadata = Metadata(root, vocabulary, config);
        var normalizers = root.Member("normalizer").Steps().ToList();
        var preTokenizers = root.Member("pre_tokenizer").Steps().ToList();

        if (preTokenizers.Any(p => p.String("type") == "ByteLevel") || root.Member("decoder").Steps().Any(d => d.String("type") == "ByteLevel"))
        {
            var options = ByteLevelOptions(path, normalizers, preTokenizers) with { IgnoreMerges = model.Bool("ignore_merges") ?? false };
            return new ByteLevelBpeTokenizer(vocabulary, merges, metadata, options);
        }
        return new SentencePieceTokenizer(vocabulary, metadata, SentencePieceOptions(path, normalizers, preTokenizers) with { MergeRule = merges });
    }

    private static ByteLevelOptions ByteLevelOptions(string path, List<JsonElement> normalizers, List<JsonElement> preTokenizers)
    {
        var options = new ByteLevelOptions();
        foreach (var normalizer in normalizers)
        {
            options = normalizer.String("type") switch
            {
                "NFC" => options with { Normalization = NormalizationForm.FormC },
                "NFKC" => options with { Normalization = NormalizationForm.FormKC },
                var other => throw new ModelFormatException(path, $"normalizer '{other}' is not supported for byte-level BPE"),
            };
        }
        IPreTokenizer? split = null;
        foreach (var pre in preTokenizers)
        {
            switch (pre.String("type"))
            {
                case "ByteLevel":
                    options = options with { AddPrefixSpace = pre.Bool("add_prefix_space") ?? false };
                    if (pre.Bool("use_regex") ?? true)
                        split = split is null ? new Gpt2PreTokenizer() : throw new ModelFormatException(path, "two splitting pre-tokenizers are not supported");
                    break;
                case "Split":
                    split = split is null ? SplitPreTokenizer(path, pre) : throw new ModelFormatException(path, "two splitting pre-tokenizers are not supported");
                    break;
                case var other:
                    throw new ModelFormatException(path, $"pre-tokenizer '{other}' is not supported for byte-level BPE");
            }
        }
        return options with { PreTokenizer = split ?? new RegexPreTokenizer(new Regex("(?!)")) };
    }

    private static IPreTokenizer SplitPreTokenizer(string path, JsonElement split)
    {
        if (split.String("behavior") != "Isolated" || (split.Bool("invert") ?? false))
            throw new ModelFormatException(path, $"Split with behavior '{split.String("behavior")}' is not supported (Isolated is)");
        var pattern = split.Member("pattern");
        string regex = pattern?.String("Regex")
            ?? (pattern?.String("String") is string literal ? Regex.Escape(literal) : throw new ModelFormatException(path, "Split without a pattern"));
        try
        {
            return PreTokenizers.ForPattern(regex);
        }
        catch (ArgumentException e)
        {
            throw new ModelFormatException(path, $"split pattern is not a .NET regex ({e.Message})", e);
        }
    }

    private static SentencePieceOptions SentencePieceOptions(string path, List<JsonElement> normalizers, List<JsonElement> preTokenizers)
    {
        var options = new SentencePieceOptions { SpacePrefix = SpacePrefix.Never };
        bool spacesEscaped = false;
        foreach (var normalizer in normalizers)
        {
            switch (normalizer.String("type"))
            {
                // Applied to each text fragment between added tokens: llama.cpp's add_space_prefix.
                case "Prepend" when normalizer.String("prepend") == options.SpaceSymbol:
                    options = options with { SpacePrefix = SpacePrefix.Always };
                    break;
                case "Replace" when normalizer.Member("pattern")?.String("String") == " " && normalizer.String("content") is { Length: > 0 } symbol:
                    options = options with { SpaceSymbol = symbol };
                    spacesEscaped = true;
                    break;
                case var other:
                    throw new ModelFormatException(path, $"normalizer '{other}' is not supported for SentencePiece-style BPE");
            }
        }
        foreach (var pre in preTokenizers)
        {
            if (pre.String("type") != "Metaspace")
                throw new ModelFormatException(path, $"pre-tokenizer '{pre.String("type")}' is not supported for SentencePiece-style BPE");
            // Older files say add_prefix_space; newer ones prepend_scheme. Split defaulted to true before it existed.
            var prefix = pre.String("prepend_scheme") switch
            {
                "first" => SpacePrefix.First,
                "never" => SpacePrefix.Never,
                "always" => SpacePrefix.Always,
                _ => pre.Bool("add_prefix_space") ?? true ? SpacePrefix.Always : SpacePrefix.Never,
            };
            options = options with
            {
                SpaceSymbol = pre.String("replacement") ?? options.SpaceSymbol,
                SpacePrefix = prefix,
                SplitAtSpaces = pre.Bool("split") ?? true,
            };
            spacesEscaped = true;
        }
        if (!spacesEscaped)
            throw new ModelFormatException(path, "BPE without a ByteLevel or Metaspace step or a space Replace normalizer is not supported");
        return options;
    }

    private static Vocabulary Vocabulary(string path, JsonElement root, JsonElement model, bool byteFallback)
    {
        var vocab = model.Member("vocab") is { ValueKind: JsonValueKind.Object } v
            ? v.EnumerateObject().Select(p => (Text: p.Name, Id: p.Value.GetInt32())).ToList()
            : throw new ModelFormatException(path, "model.vocab is missing");
        var added = root.Member("added_tokens") is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Select(t => (Text: t.String("content") ?? "", Id: t.GetProperty("id").GetInt32(), Special: t.Bool("special") ?? false)).ToList()
            : [];
        int size = vocab.Select(t => t.Id).Concat(added.Select(t => t.Id)).DefaultIfEmpty(-1).Max() + 1;
        if (vocab.Any(t => t.Id < 0) || added.Any(t => t.Id < 0))
            throw new ModelFormatException(path, "negative token id");
        var tokens = new string[size];
        var kinds = new TokenKind[size];
        Array.Fill(tokens, "");
        Array.Fill(kinds, TokenKind.Unused);
        foreach (var (text, id) in vocab)
        {
            tokens[id] = text;
            kinds[id] = byteFallback && SentencePieceTokenizer.ParseBytePiece(text) is not null ? TokenKind.Byte : TokenKind.Normal;
        }
        foreach (var (text, id, special) in added)
        {
            tokens[id] = text;
            kinds[id] = special ? TokenKind.Control : TokenKind.UserDefined;
        }
        if (model.String("unk_token") is string unk && Array.IndexOf(tokens, unk) is int unkId and >= 0)
            kinds[unkId] = TokenKind.Unknown;
        return new Vocabulary(tokens, kinds);
    }

    private static IEnumerable<(string, string)> Merges(string path, JsonElement model)
    {
        if (model.Member("merges") is not { ValueKind: JsonValueKind.Array } merges)
            throw new ModelFormatException(path, "model.merges is missing");
        foreach (var merge in merges.EnumerateArray())
        {
            // Older files write "left right", newer ones ["left", "right"] (which allows spaces inside tokens).
            if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            {
                yield return (merge[0].GetString()!, merge[1].GetString()!);
                continue;
            }
            string text = merge.GetString() ?? "";
            int space = text.Length > 1 ? text.IndexOf(' ', 1) : -1;
            yield return space > 0 ? (text[..space], text[(space + 1)..]) : throw new ModelFormatException(path, $"merge '{text}' is not two tokens");
        }
    }

    private static TokenizerMetadata Metadata(JsonElement root, Vocabulary vocabulary, HfTokenizerConfig config)
    {
        // Without add_bos_token, the post-processor template says whether a special token leads every sequence (Llama 3).
        var template = root.Member("post_processor").Steps().FirstOrDefault(p => p.String("type") == "TemplateProcessing");
        string? templateBos = template.Member("single") is { ValueKind: JsonValueKind.Array } single && single.GetArrayLength() > 0
            ? single[0].Member("SpecialToken")?.String("id")
            : null;
        string? bosText = config.BosToken ?? templateBos;
        int? bos = bosText is null ? null : vocabulary.Find(bosText);
        bool addBos = config.AddBosToken ?? (templateBos is not null && templateBos == bosText);
        var eos = new List<int>();
        if (config.EosToken is string eosText && vocabulary.Find(eosText) is int eosId)
            eos.Add(eosId);
        eos.AddRange(config.GenerationEosIds.Where(id => id >= 0 && id < vocabulary.Count));
        return new TokenizerMetadata(bos, eos.Distinct().ToArray(), addBos && bos is not null, config.ChatTemplate);
    }
}
