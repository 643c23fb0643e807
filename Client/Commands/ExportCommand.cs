using System.CommandLine;
using Cluster.Engine.Formats.Gguf;
using Cluster.Engine.Models;
using Cluster.Engine.Weights.Gguf;

namespace Cluster.Client.Commands;

/// <summary><c>export</c>: any model the engine opens, written as a GGUF v3 llama file (F32 or F16) that llama.cpp and the engine read.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "HF directory, .gguf, llama2.c .bin, or synthetic:SHAPE", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "tokenizer file for llama2.c models (tokenizer.bin)" };
        var output = new Option<string>("--output") { Description = "the .gguf file to write", Required = true };
        var type = new Option<string>("--type") { Description = "f32 or f16 (norms stay f32 in an f16 file, as llama.cpp expects)", DefaultValueFactory = _ => "f16" };
        type.AcceptOnlyFromAmong("f32", "f16");
        var command = new Command("export", "Write a model as a GGUF file (llama architecture, tokenizer included)") { model, tokenizer, output, type };
        command.SetAction(result =>
        {
            using var loaded = ModelSource.Open(result.GetValue(model), result.GetValue(tokenizer));
            var ggmlType = result.GetValue(type) == "f32" ? GgmlType.F32 : GgmlType.F16;
            string path = result.GetValue(output)!;
            Console.Error.WriteLine($"model: {loaded.Description}");
            GgufExporter.Export(loaded.Checkpoint, loaded.Tokenizer, loaded.Name, ggmlType, path,
                (done, total, tensor) => Console.Error.Write($"\r[{done}/{total}] {tensor,-40}"));
            Console.Error.WriteLine();
            Console.WriteLine($"wrote {path} ({new FileInfo(path).Length / 1e6:F1} MB, {ggmlType})");
            return 0;
        });
        return command;
    }
}
