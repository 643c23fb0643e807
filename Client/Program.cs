using System.CommandLine;
using Cluster.Client.Commands;
using Cluster.ServingBench;

var root = new RootCommand("Command-line tool for the LLM inference cluster")
{
    GenerateCommand.Create(),
    EngineBenchCommand.Create(),
    ExportCommand.Create(),
    BenchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
