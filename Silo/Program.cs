using Cluster.Grains.Hosting;
using Cluster.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, SiloCommandLine.Switches);
builder.WebHost.UseUrls($"http://127.0.0.1:{builder.Configuration.GetValue("Silo:HttpPort", 0)}");
builder.UseOrleans(silo => SiloHosting.Configure(silo, builder.Configuration));

var app = builder.Build();
await app.StartAsync();
var model = app.Services.GetRequiredService<SiloModel>();
var layers = model.HostedLayers() is { } ranges ? string.Join(", ", ranges.Select(r => $"{r.Start}-{r.End - 1}")) : "auto";
Console.WriteLine($"SILO READY model={model.Name} layers={layers} source={model.Source} silo-port={builder.Configuration.GetValue("Silo:SiloPort", 11111)}");
await app.WaitForShutdownAsync();
