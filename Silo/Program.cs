using Cluster.Silo;

return await SiloProgram.RunAsync(args);
