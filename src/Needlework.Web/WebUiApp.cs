using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Needlework.Web.Api;
using Needlework.Web.Artefacts;
using Needlework.Web.Auth;
using Needlework.Web.Data;
using Needlework.Web.Pages;
using Needlework.Web.Scheduling;
using Needlework.Web.Statistics;
using Prometheus;

namespace Needlework.Web;

/// <summary>Builds the web UI; `needlework webui` and the tests both start it through here.</summary>
public static class WebUiApp
{
    /// <summary>openQA's web UI port, on loopback only unless configured otherwise.</summary>
    public const string DefaultUrl = "http://127.0.0.1:9526";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Every SQL statement at Information would drown the log.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        AddServices(builder.Services, builder.Configuration);
        var app = builder.Build();
        MapEndpoints(app);
        return app;
    }

    public static async Task RunAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var app = Build(args);
        await app.RunAsync(cancellationToken);
    }

    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WebUiOptions>(configuration.GetSection(WebUiOptions.Section));
        services.PostConfigure<WebUiOptions>(o =>
        {
            // openqa.ini's [global] auto_clone_regex / auto_clone_limit are accepted as they are.
            var regex = configuration["global:auto_clone_regex"];
            var limit = configuration["global:auto_clone_limit"];
            if (regex is not null || limit is not null)
            {
                var current = o.AutoRetrigger;
                var updated = current with
                {
                    AutoCloneRegex = regex ?? current.AutoCloneRegex,
                    Limit = int.TryParse(limit, System.Globalization.CultureInfo.InvariantCulture, out var l) ? l : current.Limit,
                };
                o.AutoRetrigger = updated;
            }
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IDatabaseProvider>(sp => CreateProvider(sp.GetRequiredService<IOptions<WebUiOptions>>().Value));
        // Each engine has its own context type (its own migrations); the code asks for NeedleworkDbContext and gets the configured one.
        services.AddDbContext<SqliteNeedleworkDbContext>((sp, o) => sp.GetRequiredService<IDatabaseProvider>().Configure(o));
        services.AddDbContext<PostgresNeedleworkDbContext>((sp, o) => sp.GetRequiredService<IDatabaseProvider>().Configure(o));
        services.AddScoped(sp => (NeedleworkDbContext)sp.GetRequiredService(sp.GetRequiredService<IDatabaseProvider>().ContextType));
        services.AddSingleton<ReplayGuard>();
        services.AddScoped<ApiKeyService>();
        services.AddScoped<ApiKeyAuthentication>();
        services.AddScoped<RequireApiKeyFilter>();
        services.AddScoped<JobService>();
        services.AddSingleton<WorkerConnections>();
        services.AddSingleton<SchedulerSignal>();
        services.AddSingleton<ThresholdProvider>();
        services.AddSingleton<ArtefactStore>();
        services.AddSingleton<WebMetrics>();
        services.AddSingleton<LiveViewTracker>();
        services.AddHostedService<DatabaseInitializer>();
        services.AddSingleton<JobScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<JobScheduler>());
        services.AddSingleton<WorkerWatchdog>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkerWatchdog>());
        services.AddHostedService(sp => sp.GetRequiredService<LiveViewTracker>());
        services.AddOptions<FormOptions>().Configure<IOptions<WebUiOptions>>((form, web) =>
        {
            var u = web.Value.Uploads;
            form.MultipartBodyLengthLimit = new[] { u.Screenshot, u.Log, u.Video, u.Stats, u.Live }.Max() + (1 << 20);
        });
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = null);
    }

    public static void MapEndpoints(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
        app.MapJobsApi();
        app.MapJobProtocolApi();
        app.MapWorkersApi();
        app.MapKnownFailuresApi();
        app.MapStatisticsApi();
        app.MapFilesApi();
        app.MapPages();
        var metrics = app.Services.GetRequiredService<WebMetrics>();
        app.MapMetrics("/metrics", metrics.Registry);
        app.MapFallback(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
                ? context.Response.WriteAsJsonAsync(new { error = "Not found" })
                : context.Response.WriteAsync("Not found");
        });
    }

    private static IDatabaseProvider CreateProvider(WebUiOptions options)
    {
        if (options.Database.Equals("postgres", StringComparison.OrdinalIgnoreCase) || options.Database.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
        {
            return new PostgresDatabaseProvider(options.ConnectionString ?? throw new InvalidOperationException("Needlework:ConnectionString is required for PostgreSQL"));
        }

        Directory.CreateDirectory(options.DataDirectory);
        return new SqliteDatabaseProvider(options.ConnectionString ?? $"Data Source={Path.Combine(options.DataDirectory, "needlework.db")}");
    }
}
