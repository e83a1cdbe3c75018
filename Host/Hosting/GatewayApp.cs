using Microsoft.AspNetCore.Hosting.Server;
using Serilog;
using Serilog.Extensions.Logging;
using Slardar.Scriptable.Host.Bodies;
using Slardar.Scriptable.Host.Content;
using Slardar.Scriptable.Host.Admin;
using Slardar.Scriptable.Host.Certificates;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Heartbeats;
using Slardar.Scriptable.Host.Checkups.Probes;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Host.Observability;
using Slardar.Scriptable.Host.Observability.Metrics;
using Slardar.Scriptable.Host.Proxy;
using Slardar.Scriptable.Host.Proxy.Fast;
using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Scripts.Compiler;
using Slardar.Scriptable.Host.Services;
using Slardar.Scriptable.Host.Services.Caching;
using Slardar.Scriptable.Host.Services.Limits;
using Slardar.Scriptable.Host.Services.Redis;
using Slardar.Scriptable.Host.Specs;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Host.Streams;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Loading;

namespace Slardar.Scriptable.Host.Hosting;

/// <summary>
/// The gateway process: a proxy listener and an admin listener, each its own Kestrel app with its
/// own pipeline (the proxy path has no routing middleware at all), sharing one set of singletons,
/// plus the optional demo backend. Tests start it in-process with port 0 and read the bound URLs.
/// </summary>
public sealed partial class GatewayApp : IAsyncDisposable
{
    private readonly WebApplication _proxy;
    private readonly WebApplication _admin;
    private readonly WebApplication? _demo;
    private readonly Serilog.Core.Logger _logger;

    private GatewayApp(WebApplication proxy, WebApplication admin, WebApplication? demo, Serilog.Core.Logger logger)
    {
        _proxy = proxy;
        _admin = admin;
        _demo = demo;
        _logger = logger;
    }

    /// <summary>The process's exit code when it could not start (bad configuration, a port in use...).</summary>
    public const int StartFailedExitCode = 2;

    public IServiceProvider Services => _proxy.Services;

    public IReadOnlyList<string> ProxyUrls => BoundUrls(_proxy);

    public IReadOnlyList<string> AdminUrls => BoundUrls(_admin);

    /// <summary>Builds configuration (appsettings.json beside the binary, environment, command line, then <paramref name="configure"/>) and starts every listener.</summary>
    /// <param name="configureServices">Applied after the defaults, so tests can swap a service such as <see cref="TimeProvider"/>.</param>
    public static async Task<GatewayApp> StartAsync(
        string[] args,
        Action<IConfigurationBuilder>? configure = null,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        var configurationBuilder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args);
        configure?.Invoke(configurationBuilder);
        var configuration = configurationBuilder.Build();

        var logger = LoggingSetup.CreateLogger(configuration);
        try
        {
            var settings = GatewaySettings.FromConfiguration(configuration);
            var proxy = BuildProxy(configuration, settings, logger, configureServices);
            var admin = BuildAdmin(configuration, settings, logger, proxy.Services);
            var demo = settings.DemoUrl is null ? null : DemoBackend.Build(settings.DemoUrl, logger);

            LoadStartupState(proxy.Services, configuration, settings);
            await proxy.Services.StartScriptServicesAsync();
            await LoadScriptsAsync(proxy.Services, cancellationToken);

            // Consul's state over the store's, before any listener opens; bounded when Consul is down.
            await proxy.Services.GetRequiredService<ConsulIntegration>().StartAsync(cancellationToken);

            if (demo is not null)
            {
                await demo.StartAsync(cancellationToken);
            }

            await proxy.StartAsync(cancellationToken);
            await admin.StartAsync(cancellationToken);

            // Last: the first round runs at once and must find the demo backend already listening.
            proxy.Services.GetRequiredService<HeartbeatScheduler>().Start(probe: settings.ActiveChecks);

            var app = new GatewayApp(proxy, admin, demo, logger);
            logger.Information("Slardar.Scriptable proxy listening on {Urls}", string.Join(" ", app.ProxyUrls));
            logger.Information("Slardar.Scriptable admin listening on {Urls}", string.Join(" ", app.AdminUrls));
            return app;
        }
        catch (Exception ex)
        {
            logger.Fatal("Slardar.Scriptable failed to start: {Reason}", OneLine(ex.Message));
            await logger.DisposeAsync();
            throw;
        }
    }

    /// <summary>A message fit for one line of a log or of stderr.</summary>
    public static string OneLine(string message) => message.ReplaceLineEndings(" ");

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _proxy.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _admin.StopAsync();
        await _proxy.StopAsync();
        if (_demo is not null)
        {
            await _demo.StopAsync();
            await _demo.DisposeAsync();
        }

        await _admin.DisposeAsync();
        await _proxy.DisposeAsync();
        await _logger.DisposeAsync();
    }

    private static WebApplication BuildProxy(IConfiguration configuration, GatewaySettings settings, Serilog.Core.Logger logger, Action<IServiceCollection>? configureServices)
    {
        var compiler = CompilerSettings.FromConfiguration(configuration);
        var builder = CreateBuilder(configuration, logger, settings.ProxyUrls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = settings.Proxy.MaxRequestBodyBytes;
            kestrel.RequestHeaderEncodingSelector = ConnectionHeaderCapture.Select;
        });
        if (settings.ProxyNeedsEndpoints)
        {
            // https:// (certificates by SNI, HTTP/2 by ALPN) or h2c: endpoints Kestrel cannot make from URLs alone.
            builder.WebHost.UseUrls();
            builder.WebHost.ConfigureKestrel(kestrel => ConfigureProxyEndpoints(kestrel, settings));
        }

        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = settings.Proxy.InlineScheduling);

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(settings.Proxy);
        services.AddSingleton(settings.ScriptLog);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpForwarder();
        services.AddSingleton(sp => UpstreamHttpClientFactory.Create(sp.GetRequiredService<TimeProvider>(), settings.Proxy.ConnectTimeout, settings.Proxy.MaxConnectionsPerPeer));
        services.AddSingleton(sp => new UpstreamRegistry(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => GatewayStore.Open(settings.StorePath, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GatewayStore>>()));
        services.AddSingleton(_ => settings.Certificates.CreateProtector());
        services.AddSingleton<CertificateCatalog>();
        services.AddSingleton(sp => new CertificateFileWatcher(settings.Certificates.Files, sp.GetRequiredService<CertificateCatalog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CertificateFileWatcher>>()));
        services.AddConsul(settings.Consul);
        services.AddSingleton<UpstreamCatalog>();
        services.AddSingleton<ProbeRegistry>();
        services.AddSingleton(sp => new HeartbeatScheduler(
            sp.GetRequiredService<UpstreamRegistry>(),
            sp.GetRequiredService<ProbeRegistry>(),
            sp.GetRequiredService<TimeProvider>(),
            settings.CheckupsInterval,
            maxConcurrency: 16,
            sp.GetRequiredService<ILogger<HeartbeatScheduler>>()));
        services.AddSingleton(sp => new RouteTableProvider(settings.ManifestPath, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RouteTableProvider>>()));
        services.AddSingleton(sp => new AccessLogWriter(LoggingSetup.AccessLogSinksFrom(configuration, settings.AccessLogEnabled), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp => CreateMetrics(sp));
        services.AddSingleton(sp => new PrometheusExporter(sp.GetRequiredService<GatewayMetrics>().Meter, sp.GetRequiredService<ILogger<PrometheusExporter>>()));
        services.AddSingleton(sp => new TrafficTotals(sp.GetRequiredService<PrometheusExporter>()));
        services.AddSingleton(sp => new CompileWorker(compiler, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CompileWorker>>()));
        services.AddSingleton(sp => new ScriptGenerationTracker(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ScriptRegistry>();
        // Read now, not when first resolved: a bad value stops the start before the store is opened.
        var scriptThreads = ScriptThreadSettings.FromConfiguration(configuration);
        services.AddSingleton(sp => scriptThreads.CreateRuntime(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(ScriptQuarantineOptions.FromConfiguration(configuration));
        services.AddSingleton<CompiledScriptCache>();
        services.AddSingleton<ScriptCatalog>();
        services.AddSingleton<ScriptPhaseRunner>();
        services.AddSingleton<SpecService>();
        services.AddSingleton<ManifestScriptFiles>();
        services.AddSingleton(sp => new ScriptFolderWatcher(settings.ScriptsFolder, sp.GetRequiredService<ScriptCatalog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ScriptFolderWatcher>>()));
        services.AddScriptServices(configuration);
        services.AddSingleton(sp => new TryEngine(settings.Proxy.RetryDefaults, sp.GetRequiredService<GatewayMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TryEngine>>()));
        services.AddSingleton<YarpTransport>();
        services.AddSingleton(sp => new Http1Client(new Http1ClientOptions { MaxConnectionsPerPeer = settings.Proxy.MaxConnectionsPerPeer }, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<FastTransport>();
        services.AddSingleton<ProxyTransports>();
        services.AddSingleton<ScriptBalancerChooser>();
        services.AddSingleton<ReadyOk>();
        services.AddSingleton(_ => new BodyRecorder(settings.Proxy));
        services.AddSingleton(sp => new UpstreamSender(sp.GetRequiredService<HttpMessageInvoker>(), sp.GetRequiredService<BodyRecorder>(), settings.Proxy));
        services.AddSingleton<ContentServices>();
        services.AddSingleton(sp => new HttpsRedirect(sp.GetRequiredService<IServer>()));
        services.AddSingleton<ProxyRequestHandler>();
        services.AddStreamProxy(configuration);
        configureServices?.Invoke(services);

        var app = builder.Build();
        var handler = app.Services.GetRequiredService<ProxyRequestHandler>();
        app.Run(handler.HandleAsync);
        return app;
    }

    private static WebApplication BuildAdmin(IConfiguration configuration, GatewaySettings settings, Serilog.Core.Logger logger, IServiceProvider shared)
    {
        var builder = CreateBuilder(configuration, logger, settings.AdminUrls);
        if (settings.AdminCertificate is { } certificateFile)
        {
            // The admin listener's own certificate, read (and watched) before it binds; a bad one stops the start.
            var certificate = new AdminCertificate(certificateFile, shared.GetRequiredService<TimeProvider>(), shared.GetRequiredService<ILoggerFactory>());
            builder.Services.AddSingleton(_ => certificate);
            builder.WebHost.UseUrls();
            builder.WebHost.ConfigureKestrel(kestrel => ConfigureAdminEndpoints(kestrel, settings, certificate));
        }

        // The admin app sees the proxy app's singletons: one registry, one route table, one store.
        builder.Services.AddSingleton(settings);
        Share<UpstreamRegistry>(builder.Services, shared);
        Share<UpstreamCatalog>(builder.Services, shared);
        Share<RouteTableProvider>(builder.Services, shared);
        Share<GatewayStore>(builder.Services, shared);
        Share<HeartbeatScheduler>(builder.Services, shared);
        Share<TimeProvider>(builder.Services, shared);
        Share<PrometheusExporter>(builder.Services, shared);
        Share<ScriptCatalog>(builder.Services, shared);
        Share<ScriptRegistry>(builder.Services, shared);
        Share<SpecService>(builder.Services, shared);
        Share<ConsulIntegration>(builder.Services, shared);
        Share<TrafficTotals>(builder.Services, shared);
        Share<CacheSet>(builder.Services, shared);
        Share<LimitSet>(builder.Services, shared);
        Share<RedisConnections>(builder.Services, shared);
        Share<CertificateCatalog>(builder.Services, shared);
        Share<CertificateFileWatcher>(builder.Services, shared);
        Share<StreamListeners>(builder.Services, shared);
        var proxyServer = shared.GetRequiredService<IServer>();
        builder.Services.AddSingleton(sp => new GatewayListeners(proxyServer, sp.GetRequiredService<IServer>()));

        var app = builder.Build();

        // Resolved once so that the admin app's container owns it, and disposes it (its file watcher) on stop.
        _ = app.Services.GetService<AdminCertificate>();
        AdminUi.Use(app, AdminUiOptions.FromConfiguration(configuration));
        app.UseMiddleware<AdminTokenMiddleware>(settings.AdminToken ?? string.Empty);
        AdminEndpoints.Map(app);
        return app;
    }

    private static void ConfigureProxyEndpoints(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, GatewaySettings settings)
    {
        var services = kestrel.ApplicationServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TlsListener));
        CertificateCatalog? catalog = null;
        foreach (var endpoint in settings.ProxyUrls.Select(ListenEndpoint.Parse))
        {
            endpoint.Bind(kestrel, listen =>
            {
                if (endpoint.Tls)
                {
                    TlsListener.Use(listen, () => (catalog ??= services.GetRequiredService<CertificateCatalog>()).Current, http2: true, logger);
                }
                else
                {
                    // h2c is HTTP/2 with prior knowledge only: Kestrel answers the HTTP/2 preface on a
                    // cleartext port that also speaks HTTP/1.1 with HTTP_1_1_REQUIRED (no sniffing, no Upgrade).
                    listen.Protocols = settings.Http2Cleartext
                        ? Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2
                        : Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1AndHttp2;
                }
            });
        }
    }

    private static void ConfigureAdminEndpoints(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, GatewaySettings settings, AdminCertificate certificate)
    {
        var logger = kestrel.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger<AdminCertificate>();
        foreach (var endpoint in settings.AdminUrls.Select(ListenEndpoint.Parse))
        {
            endpoint.Bind(kestrel, listen =>
            {
                if (endpoint.Tls)
                {
                    TlsListener.Use(listen, () => certificate.Current, http2: true, logger);
                }
            });
        }
    }

    private static GatewayMetrics CreateMetrics(IServiceProvider services)
    {
        var registry = services.GetRequiredService<UpstreamRegistry>();
        var time = services.GetRequiredService<TimeProvider>();
        var accessLog = services.GetRequiredService<AccessLogWriter>();
        var metrics = new GatewayMetrics(() => PeerGauges(registry, time), () => accessLog.Dropped);
        var heartbeats = services.GetRequiredService<HeartbeatScheduler>();
        heartbeats.ProbeFailed += metrics.RecordHeartbeatFailure;
        heartbeats.Ejected += ejection => metrics.RecordEjection(ejection.Upstream, ejection.Peer.Address);
        ScriptMetrics.Register(metrics, services.GetRequiredService<ScriptCatalog>(), services.GetRequiredService<ScriptGenerationTracker>(), services.GetRequiredService<ScriptRegistry>());
        ProcessMetrics.Register(metrics);
        ServiceMetrics.Register(metrics, services.GetRequiredService<CacheSet>(), services.GetRequiredService<LimitSet>(), services.GetRequiredService<RedisConnections>());
        CertificateMetrics.Register(metrics, services.GetRequiredService<CertificateCatalog>(), time);
        return metrics;
    }

    private static IEnumerable<PeerGaugeValue> PeerGauges(UpstreamRegistry registry, TimeProvider time)
    {
        var now = time.GetTimestamp();
        foreach (var upstream in registry.All)
        {
            foreach (var level in upstream.Levels)
            {
                foreach (var peer in level)
                {
                    var usable = peer.IsUsable(now);
                    var status = !usable && peer.Health.IsDown(now) ? "down" : peer.Health.Active.Current.Status.ToString().ToLowerInvariant();
                    yield return new PeerGaugeValue(upstream.Name, peer.Address, status, usable ? 1 : 0, peer.Health.TakeOuts);
                }
            }
        }
    }

    // As an instance, not a factory: a container disposes what its factories made, and these belong to the proxy app's.
    private static void Share<T>(IServiceCollection services, IServiceProvider shared)
        where T : class => services.AddSingleton(shared.GetRequiredService<T>());

    private static WebApplicationBuilder CreateBuilder(IConfiguration configuration, Serilog.Core.Logger logger, string[] urls)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        // A copy, not a chained source: UseUrls writes "urls" into the builder's configuration, and a
        // chained source would pass that write on to the shared root and so to the other listener.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(configuration.AsEnumerable());
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger);
        // Off, not just quiet (appsettings keeps Microsoft at Warning): while this category is enabled
        // at any level, ASP.NET makes an Activity and a log scope for every request (about 0.4 KB).
        // The gateway's access log is its own. AddSerilog's provider rule would win over a plain one.
        builder.Logging.AddFilter<SerilogLoggerProvider>("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    private static void LoadStartupState(IServiceProvider services, IConfiguration configuration, GatewaySettings settings)
    {
        var upstreams = UpstreamConfigurationReader.Read(configuration.GetSection("Upstreams"), out var errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Upstreams configuration is invalid: " + string.Join("; ", errors));
        }

        var certificates = services.GetRequiredService<CertificateCatalog>();
        certificates.LoadStored();
        services.GetRequiredService<CertificateFileWatcher>().Start();

        // The store's upstreams win over configuration, which only seeds names the store lacks.
        services.GetRequiredService<UpstreamCatalog>().Load(upstreams);

        // scripts.json's "certificates" follow every manifest that loads, this first one included.
        var routes = services.GetRequiredService<RouteTableProvider>();
        var certificateFiles = services.GetRequiredService<CertificateFileWatcher>();
        routes.Changed += table => certificateFiles.UseManifest(table.Config.Certificates);
        if (routes.Reload() is { } error)
        {
            throw new InvalidOperationException($"{routes.ManifestPath} is invalid: {error}");
        }

        routes.StartWatching();
    }

    /// <summary>Stored scripts compile in parallel before the listeners open, then files newer than their stored version apply.</summary>
    private static async Task LoadScriptsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        // The compile worker warms Roslyn up (seconds) in its own process: start it now, off any request.
        services.GetRequiredService<CompileWorker>().StartInBackground();
        var catalog = services.GetRequiredService<ScriptCatalog>();
        var registry = services.GetRequiredService<ScriptRegistry>();
        await catalog.LoadStoredAsync(cancellationToken);
        var folder = services.GetRequiredService<ScriptFolderWatcher>();
        await folder.SyncAsync(key => registry.Get(key)?.UpdatedAt, cancellationToken);
        folder.Start();

        var routes = services.GetRequiredService<RouteTableProvider>();
        var manifestFiles = services.GetRequiredService<ManifestScriptFiles>();
        await manifestFiles.SyncAsync(routes.Current, cancellationToken);
        var logger = services.GetRequiredService<ILogger<GatewayApp>>();
        routes.Changed += table => _ = ApplyManifestAsync(table);

        // Started by the manifest watcher and never awaited: whatever fails is logged here, not lost.
        async Task ApplyManifestAsync(RouteTable table)
        {
            try
            {
                // A later edit of scripts.json, not part of start-up: the start-up token does not apply.
                await catalog.RefreshOptionsAsync(table, CancellationToken.None);
                await manifestFiles.SyncAsync(table, CancellationToken.None);
            }
#pragma warning disable CA1031 // The serving state stays as it was; the next edit of scripts.json tries again.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ManifestScriptsFailed(logger, routes.ManifestPath, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Applying the scripts of {Manifest} after it changed failed; the scripts serving stay")]
        public static partial void ManifestScriptsFailed(Microsoft.Extensions.Logging.ILogger logger, string manifest, Exception exception);
    }

    private static string[] BoundUrls(WebApplication app) => GatewayListeners.Addresses(app.Services.GetRequiredService<IServer>());
}
