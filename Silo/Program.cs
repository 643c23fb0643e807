using Cluster.Grains.Hosting;
using Cluster.Silo;
using Cluster.Silo.Api;
using Cluster.Silo.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, SiloCommandLine.Switches);
builder.AddOpenAiApi();
builder.AddClusterTelemetry();
builder.UseOrleans(silo => SiloHosting.Configure(silo, builder.Configuration));

var app = builder.Build();
app.MapOpenAiApi();
app.MapClusterTelemetry();
await app.StartAsync();
var model = app.Services.GetRequiredService<SiloModel>();
var layers = model.Options.Spare ? "spare" : model.HostedLayers() is { } ranges ? string.Join(", ", ranges.Select(r => $"{r.Start}-{r.End - 1}")) : "auto";
Console.WriteLine($"SILO READY model={model.Name} layers={layers} source={model.Source} silo-port={builder.Configuration.GetValue("Cluster:SiloPort", 11111)} http={string.Join(",", app.Urls)}");
await app.WaitForShutdownAsync();
