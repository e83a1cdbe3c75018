using Slardar.Scriptable.Host.Hosting;

await using var gateway = await GatewayApp.StartAsync(args);
await gateway.WaitForShutdownAsync();
