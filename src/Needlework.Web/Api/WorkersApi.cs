using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Needlework.Core.Jobs;
using Needlework.Web.Auth;
using Needlework.Web.Data;
using Needlework.Web.Scheduling;

namespace Needlework.Web.Api;

/// <summary>Workers: registration, the list, and the WebSocket that carries grab_job, cancel and livelog_start/stop.</summary>
public static class WorkersApi
{
    private const int MaxMessageBytes = 1 << 20;

    public static void MapWorkersApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/workers", ListAsync);
        routes.MapGet("/api/v1/workers/{id:long}", GetAsync);
        var write = routes.MapGroup("/api/v1").AddEndpointFilter<RequireApiKeyFilter>();
        write.MapPost("/workers", RegisterAsync);
        write.MapGet("/ws/{id:long}", ConnectAsync);
    }

    internal static async Task<IResult> ListAsync(NeedleworkDbContext db, WorkerConnections connections, CancellationToken cancellationToken)
    {
        var workers = await db.Workers.AsNoTracking().OrderBy(w => w.Id).ToListAsync(cancellationToken);
        return Results.Json(new { workers = workers.Select(w => Json(w, connections)) });
    }

    internal static async Task<IResult> GetAsync(long id, NeedleworkDbContext db, WorkerConnections connections, CancellationToken cancellationToken)
    {
        var worker = await db.Workers.AsNoTracking().FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
        return worker is null ? ApiErrors.Error(404, $"Worker {id} does not exist") : Results.Json(new { worker = Json(worker, connections) });
    }

    public static object Json(WorkerRecord w, WorkerConnections connections)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(connections);
        var properties = new Dictionary<string, string>(w.Properties, StringComparer.Ordinal) { ["WORKER_CLASS"] = w.WorkerClass };
        return new
        {
            id = w.Id,
            host = w.Host,
            instance = w.Instance,
            name = w.Name,
            alive = w.Online ? 1 : 0,
            connected = connections.IsConnected(w.Id) ? 1 : 0,
            websocket = connections.IsConnected(w.Id) ? 1 : 0,
            status = Status(w),
            error = w.Error,
            jobid = w.JobId,
            t_seen = JobJson.Time(connections.LastSeen(w.Id) ?? w.TSeen),
            properties,
        };
    }

    public static string Status(WorkerRecord w)
    {
        ArgumentNullException.ThrowIfNull(w);
        return !w.Online ? "dead" : w.Error is not null ? "broken" : w.JobId is not null ? "running" : "idle";
    }

    /// <summary>openQA's registration: host, instance, worker_class and other properties; answers {"id": N}. Registering again keeps the id.</summary>
    internal static async Task<IResult> RegisterAsync(HttpRequest request, JobService jobs, WorkerConnections connections, SchedulerSignal signal, TimeProvider time, IOptions<WebUiOptions> options, CancellationToken cancellationToken)
    {
        Dictionary<string, string> p;
        try
        {
            p = await RequestParameters.ReadAsync(request, options.Value.Uploads.Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return ApiErrors.BadRequest("malformed JSON: " + e.Message);
        }

        if (!p.TryGetValue("host", out var host) || host.Length is 0 or > 255)
        {
            return ApiErrors.BadRequest("host is required");
        }

        if (!p.TryGetValue("instance", out var instanceText) || !int.TryParse(instanceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var instance) || instance < 0)
        {
            return ApiErrors.BadRequest("instance must be a non-negative number");
        }

        long? reportedJob = null;
        if (p.TryGetValue("job_id", out var jobText) && jobText.Length > 0)
        {
            if (!long.TryParse(jobText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var j))
            {
                return ApiErrors.BadRequest("job_id must be a number");
            }

            reportedJob = j;
        }

        var db = jobs.Db;
        var now = time.GetUtcNow();
        var worker = await db.Workers.FirstOrDefaultAsync(w => w.Host == host && w.Instance == instance, cancellationToken);
        if (worker is null)
        {
            worker = new WorkerRecord { Host = host, Instance = instance, TCreated = now };
            db.Workers.Add(worker);
        }

        worker.WorkerClass = p.GetValueOrDefault("worker_class", string.Empty);
        worker.Properties = p.Where(kv => kv.Key is not ("host" or "instance" or "worker_class" or "job_id"))
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        worker.Online = true;
        worker.TSeen = now;
        await db.SaveChangesAsync(cancellationToken);
        connections.Touch(worker.Id);

        // A worker that comes back without the job it held has lost it (openQA's wording).
        var held = await db.Jobs.Where(j => j.AssignedWorkerId == worker.Id).ToListAsync(cancellationToken);
        foreach (var job in held.Where(j => j.State.IsExecuting() && j.Id != reportedJob))
        {
            if (job.State == JobState.Assigned)
            {
                job.Unassign();
                worker.JobId = null;
                await db.SaveChangesAsync(cancellationToken);
            }
            else
            {
                await jobs.FinishAsync(job, JobResult.Incomplete, $"abandoned: associated worker {worker.Name} re-connected but abandoned the job", null, cancellationToken);
            }
        }

        worker.JobId = reportedJob is { } r && held.Any(j => j.Id == r && j.State.IsExecuting()) ? r : null;
        await db.SaveChangesAsync(cancellationToken);
        signal.Wake();
        return Results.Json(new { id = worker.Id });
    }

    internal static async Task<IResult> ConnectAsync(
        long id,
        HttpContext context,
        IServiceScopeFactory scopes,
        WorkerConnections connections,
        SchedulerSignal signal,
        ILoggerFactory loggers)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiErrors.BadRequest("expected a WebSocket upgrade");
        }

        using (var scope = scopes.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NeedleworkDbContext>();
            var worker = await db.Workers.FirstOrDefaultAsync(w => w.Id == id, context.RequestAborted);
            if (worker is null)
            {
                return ApiErrors.Error(404, $"Worker {id} does not exist, register first");
            }

            worker.Online = true;
            await db.SaveChangesAsync(context.RequestAborted);
        }

        var logger = loggers.CreateLogger(typeof(WorkersApi));
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var session = new WorkerSession(id, socket);
        connections.Attach(session);
        signal.Wake();
        var buffer = new byte[MaxMessageBytes];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var count = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (count == buffer.Length)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big", context.RequestAborted);
                        return Results.Empty;
                    }

                    received = await socket.ReceiveAsync(buffer.AsMemory(count), context.RequestAborted);
                    count += received.Count;
                }
                while (!received.EndOfMessage);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    break;
                }

                connections.Touch(id);
                try
                {
                    await HandleMessageAsync(id, buffer.AsMemory(0, count), scopes, signal, context.RequestAborted);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or DbUpdateException)
                {
                    Log.BadWorkerMessage(logger, id, e);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The worker went away; the watchdog decides when its job is abandoned.
        }
        finally
        {
            connections.Detach(session);
        }

        return Results.Empty;
    }

    private static async Task HandleMessageAsync(long workerId, ReadOnlyMemory<byte> message, IServiceScopeFactory scopes, SchedulerSignal signal, CancellationToken cancellationToken)
    {
        using var doc = JsonDocument.Parse(message);
        var root = doc.RootElement;
        var type = root.GetProperty("type").GetString();
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<NeedleworkDbContext>();
        switch (type)
        {
            case "worker_status" or "status":
            {
                var worker = await db.Workers.FirstAsync(w => w.Id == workerId, cancellationToken);
                var status = root.TryGetProperty("status", out var s) ? s.GetString() : null;
                var before = worker.Error;
                worker.Error = status == "broken"
                    ? JobReason.Cut(root.TryGetProperty("reason", out var r) ? r.GetString() ?? "broken" : "broken")
                    : null;
                worker.Online = true;
                await db.SaveChangesAsync(cancellationToken);
                if (before != worker.Error || status == "free")
                {
                    signal.Wake();
                }

                break;
            }

            case "accepted":
            {
                var jobId = root.GetProperty("jobid").GetInt64();
                var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId && j.AssignedWorkerId == workerId, cancellationToken);
                if (job is { State: JobState.Assigned })
                {
                    job.BeginSetup(scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow());
                    await db.SaveChangesAsync(cancellationToken);
                }

                break;
            }

            case "rejected":
            {
                var jobId = root.GetProperty("jobid").GetInt64();
                var job = await db.Jobs.FirstOrDefaultAsync(j => j.Id == jobId && j.AssignedWorkerId == workerId, cancellationToken);
                var worker = await db.Workers.FirstAsync(w => w.Id == workerId, cancellationToken);
                if (job is { State: JobState.Assigned })
                {
                    job.Unassign();
                }

                if (worker.JobId == jobId)
                {
                    worker.JobId = null;
                }

                await db.SaveChangesAsync(cancellationToken);
                signal.Wake();
                break;
            }

            default:
                throw new InvalidOperationException("unknown message type " + type);
        }
    }
}
