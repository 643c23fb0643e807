using Cluster.Grains.Hosting;
using Cluster.Silo;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddCommandLine(args, SiloCommandLine.Switches);
// HTTP on loopback, a free port unless --http-port (or ASPNETCORE_URLS) says otherwise: several silos share a host.
if (builder.Configuration.GetValue<int?>("Cluster:HttpPort") is { } httpPort) builder.WebHost.UseUrls($"http://127.0.0.1:{httpPort}");
else if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.UseOrleans(silo => SiloHosting.Configure(silo, builder.Configuration));

var app = builder.Build();
await app.StartAsync();
var model = app.Services.GetRequiredService<SiloModel>();
var layers = model.HostedLayers() is { } ranges ? string.Join(", ", ranges.Select(r => $"{r.Start}-{r.End - 1}")) : "auto";
Console.WriteLine($"SILO READY model={model.Name} layers={layers} source={model.Source} silo-port={builder.Configuration.GetValue("Cluster:SiloPort", 11111)}");
await app.WaitForShutdownAsync();
