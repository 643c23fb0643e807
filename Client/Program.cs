using Cluster.Client;

return await Cli.InvokeAsync(args);
