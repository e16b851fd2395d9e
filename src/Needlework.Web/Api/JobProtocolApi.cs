using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Needlework.Core.Jobs;
using Needlework.Web.Artefacts;
using Needlework.Web.Auth;
using Needlework.Web.Data;
using Needlework.Web.Scheduling;
using Needlework.Web.Statistics;

namespace Needlework.Web.Api;

/// <summary>What a worker posts while it runs a job: status with module results, artefacts, and set_done.</summary>
public static class JobProtocolApi
{
    public static void MapJobProtocolApi(this IEndpointRouteBuilder routes)
    {
        var write = routes.MapGroup("/api/v1/jobs/{id:long}").AddEndpointFilter<RequireApiKeyFilter>();
        write.MapPost("/status", StatusAsync);
        write.MapPost("/set_done", SetDoneAsync);
        write.MapPost("/artefact", ArtefactAsync);
    }

    /// <summary>
    /// Body: {"status": {"worker_id": N, "job_state": "setup|running|uploading", "test_order": [...],
    /// "result": {"module": {"result": "ok", "details": [...]}}}} (the "status" wrapper is optional).
    /// </summary>
    internal static async Task<IResult> StatusAsync(long id, HttpRequest request, JobService jobs, WorkerConnections connections, TimeProvider time, IOptions<WebUiOptions> options, CancellationToken cancellationToken)
    {
        JsonDocument doc;
        try
        {
            doc = await RequestParameters.ReadJsonAsync(request, options.Value.Uploads.Json, cancellationToken);
        }
        catch (JsonException e)
        {
            return ApiErrors.BadRequest("malformed JSON: " + e.Message);
        }

        using (doc)
        {
            var status = doc.RootElement.TryGetProperty("status", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : doc.RootElement;
            var job = await jobs.FindAsync(id, cancellationToken);
            if (job is null)
            {
                return ApiErrors.JobNotFound(id);
            }

            if (!status.TryGetProperty("worker_id", out var w) || !w.TryGetInt64(out var workerId))
            {
                return ApiErrors.BadRequest("worker_id is required");
            }

            if (job.AssignedWorkerId != workerId || !job.State.IsExecuting())
            {
                return ApiErrors.BadRequest($"Got status update for job {id} with unexpected worker ID {workerId} (expected {job.AssignedWorkerId?.ToString(CultureInfo.InvariantCulture) ?? "none"}, job is {job.State.ToWire()})");
            }

            connections.Touch(workerId);
            try
            {
                if (status.TryGetProperty("job_state", out var js))
                {
                    if (!JobWording.TryParseState(js.GetString(), out var target))
                    {
                        return ApiErrors.BadRequest("unknown job_state");
                    }

                    job.AdvanceTo(target, time.GetUtcNow());
                }

                var modules = await jobs.Db.JobModules.Where(m => m.JobId == id).ToListAsync(cancellationToken);
                if (status.TryGetProperty("test_order", out var order) && order.ValueKind == JsonValueKind.Array)
                {
                    var ordinal = 0;
                    foreach (var entry in order.EnumerateArray())
                    {
                        var name = entry.GetProperty("name").GetString();
                        if (string.IsNullOrEmpty(name) || name.Length > 255)
                        {
                            return ApiErrors.BadRequest("test_order entries need a name");
                        }

                        var module = Module(jobs.Db, modules, id, name);
                        module.Ordinal = ordinal++;
                        module.Category = entry.TryGetProperty("category", out var c) ? c.GetString() : module.Category;
                        module.Script = entry.TryGetProperty("script", out var sc) ? sc.GetString() : module.Script;
                    }
                }

                if (status.TryGetProperty("result", out var result) && result.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in result.EnumerateObject())
                    {
                        if (property.Name.Length is 0 or > 255 || property.Value.ValueKind != JsonValueKind.Object)
                        {
                            return ApiErrors.BadRequest("result must map module names to objects");
                        }

                        var module = Module(jobs.Db, modules, id, property.Name);
                        if (property.Value.TryGetProperty("result", out var r))
                        {
                            module.Result = ModuleResults.Normalize(r.GetString());
                        }

                        if (property.Value.TryGetProperty("details", out var details))
                        {
                            module.Details = details.GetRawText();
                        }
                    }
                }
            }
            catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException)
            {
                return ApiErrors.BadRequest(e.Message);
            }

            try
            {
                await jobs.Db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // set_done or a cancel won the race; the worker learns the job's fate from the next answer.
                return ApiErrors.Conflict($"Job {id} changed meanwhile");
            }

            return Results.Json(new { result = 1, job_state = job.State.ToWire(), job_result = job.Result.ToWire() });
        }
    }

    /// <summary>Parameters (query, form or JSON): result, reason, worker_id, backend (object or JSON text).</summary>
    internal static async Task<IResult> SetDoneAsync(long id, HttpRequest request, JobService jobs, IOptions<WebUiOptions> options, CancellationToken cancellationToken)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal);
        BackendReason? backend = null;
        try
        {
            if (request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            {
                using var doc = await RequestParameters.ReadJsonAsync(request, options.Value.Uploads.Json, cancellationToken);
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (property.Name == "backend" && property.Value.ValueKind == JsonValueKind.Object)
                    {
                        backend = BackendReason.FromElement(property.Value);
                    }
                    else if (property.Value.ValueKind is JsonValueKind.String)
                    {
                        p[property.Name] = property.Value.GetString()!;
                    }
                    else if (property.Value.ValueKind is JsonValueKind.Number)
                    {
                        p[property.Name] = property.Value.GetRawText();
                    }
                }

                foreach (var (key, value) in request.Query)
                {
                    p.TryAdd(key, value.ToString());
                }
            }
            else
            {
                p = await RequestParameters.ReadAsync(request, options.Value.Uploads.Json, cancellationToken);
            }

            if (backend is null && p.TryGetValue("backend", out var backendText) && backendText.Length > 0)
            {
                backend = BackendReason.Parse(backendText);
            }
        }
        catch (JsonException e)
        {
            return ApiErrors.BadRequest("malformed JSON: " + e.Message);
        }

        var job = await jobs.FindAsync(id, cancellationToken);
        if (job is null)
        {
            return ApiErrors.JobNotFound(id);
        }

        long? workerId = null;
        if (p.TryGetValue("worker_id", out var wt))
        {
            if (!long.TryParse(wt, NumberStyles.Integer, CultureInfo.InvariantCulture, out var wid))
            {
                return ApiErrors.BadRequest("worker_id must be a number");
            }

            workerId = wid;
        }

        JobResult? result = null;
        if (p.TryGetValue("result", out var rt) && rt.Length > 0)
        {
            if (!JobWording.TryParseResult(rt, out var parsed) || parsed == JobResult.None)
            {
                return ApiErrors.BadRequest($"unknown result {rt}");
            }

            result = parsed;
        }

        if (job.State.IsFinal())
        {
            // A worker that repeats set_done after a lost answer gets the same answer.
            return workerId is null || workerId == job.LastWorkerId
                ? Results.Json(new { result = job.Result.ToWire(), reason = job.Reason })
                : ApiErrors.BadRequest($"Job {id} is already {job.State.ToWire()}");
        }

        if (!job.State.IsExecuting())
        {
            return ApiErrors.BadRequest($"Job {id} is {job.State.ToWire()}, not running");
        }

        if (workerId is { } w && w != job.AssignedWorkerId)
        {
            return ApiErrors.BadRequest($"Job {id} is not assigned to worker {w}");
        }

        if (result is null)
        {
            var modules = await jobs.Db.JobModules.AsNoTracking().Where(m => m.JobId == id).Select(m => m.Result).ToListAsync(cancellationToken);
            var overall = ModuleResults.Overall(modules);
            result = overall == JobResult.None ? JobResult.Incomplete : overall;
        }

        var reason = p.GetValueOrDefault("reason");
        if (string.IsNullOrEmpty(reason))
        {
            reason = backend?.Message is { Length: > 0 } m ? (backend.Component is { Length: > 0 } c ? c + ": " + m : m) : null;
        }

        try
        {
            var clone = await jobs.FinishAsync(job, result.Value, reason, backend, cancellationToken);
            return Results.Json(new { result = job.Result.ToWire(), reason = job.Reason, clone_id = clone?.Id });
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiErrors.Conflict("job changed meanwhile, try again");
        }
    }

    /// <summary>
    /// Multipart: type (screenshot|log|video|stats|live|result), name, optional checksum (SHA-256 hex of a
    /// screenshot: sent alone it links an already stored image), and file.
    /// </summary>
    internal static async Task<IResult> ArtefactAsync(long id, HttpContext context, NeedleworkDbContext db, ArtefactStore store, IOptions<WebUiOptions> options, CancellationToken cancellationToken)
    {
        var limits = options.Value.Uploads;
        var largest = new[] { limits.Screenshot, limits.Log, limits.Video, limits.Stats, limits.Live }.Max();
        if (context.Request.ContentLength > largest + (1 << 20))
        {
            return ApiErrors.Error(StatusCodes.Status413PayloadTooLarge, $"upload exceeds the limit of {largest} bytes");
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = largest + (1 << 20);
        }

        if (!context.Request.HasFormContentType)
        {
            return ApiErrors.BadRequest("expected multipart/form-data");
        }

        var job = await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null)
        {
            return ApiErrors.JobNotFound(id);
        }

        if (job.State is JobState.Scheduled or JobState.Cancelled)
        {
            return ApiErrors.BadRequest($"Job {id} is {job.State.ToWire()}, not running");
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            var tooLarge = e is BadHttpRequestException { StatusCode: 413 } || (e is InvalidDataException && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase));
            return tooLarge
                ? ApiErrors.Error(StatusCodes.Status413PayloadTooLarge, "upload too large")
                : ApiErrors.BadRequest("malformed upload: " + e.Message);
        }

        var type = form["type"].ToString();
        if (type.Length == 0)
        {
            type = "result";
        }

        if (type is not ("screenshot" or "log" or "video" or "stats" or "live" or "result"))
        {
            return ApiErrors.BadRequest($"unknown artefact type {type}");
        }

        var file = form.Files.GetFile("file");
        var name = form["name"].ToString();
        if (name.Length == 0)
        {
            name = file?.FileName ?? string.Empty;
        }

        if (type != "live" && !ArtefactName.IsSafe(name))
        {
            return ApiErrors.BadRequest("invalid file name");
        }

        var limit = limits.For(type);
        if (file is not null && file.Length > limit)
        {
            return ApiErrors.Error(StatusCodes.Status413PayloadTooLarge, $"{type} exceeds the limit of {limit} bytes");
        }

        try
        {
            switch (type)
            {
                case "screenshot":
                    return await ScreenshotAsync(job.Id, name, form["checksum"].ToString().ToLowerInvariant(), file, limit, db, store, cancellationToken);
                case "live":
                    if (file is null)
                    {
                        return ApiErrors.BadRequest("file is required");
                    }

                    await using (var stream = file.OpenReadStream())
                    {
                        await store.SaveLiveAsync(job.Id, stream, limit, cancellationToken);
                    }

                    return Results.Json(new { result = 1 });
                case "stats":
                    return await StatsAsync(job, file, limit, db, store, cancellationToken);
                default:
                    if (file is null)
                    {
                        return ApiErrors.BadRequest("file is required");
                    }

                    await using (var stream = file.OpenReadStream())
                    {
                        await store.SaveJobFileAsync(job.Id, name, stream, limit, cancellationToken);
                    }

                    return Results.Json(new { result = 1 });
            }
        }
        catch (UploadTooLargeException e)
        {
            return ApiErrors.Error(StatusCodes.Status413PayloadTooLarge, e.Message);
        }
    }

    private static async Task<IResult> ScreenshotAsync(long jobId, string name, string checksum, IFormFile? file, long limit, NeedleworkDbContext db, ArtefactStore store, CancellationToken cancellationToken)
    {
        if (checksum.Length > 0 && !ArtefactName.IsChecksum(checksum))
        {
            return ApiErrors.BadRequest("checksum must be a SHA-256 in hex");
        }

        bool stored;
        if (file is null)
        {
            if (checksum.Length == 0)
            {
                return ApiErrors.BadRequest("file or checksum is required");
            }

            if (!store.HasScreenshot(checksum))
            {
                return ApiErrors.Error(StatusCodes.Status404NotFound, "unknown checksum, upload the file");
            }

            stored = false;
        }
        else
        {
            string actual;
            await using (var stream = file.OpenReadStream())
            {
                stored = !(checksum.Length > 0 && store.HasScreenshot(checksum));
                actual = await store.SaveScreenshotAsync(stream, limit, cancellationToken);
            }

            if (checksum.Length > 0 && actual != checksum)
            {
                return ApiErrors.BadRequest($"checksum mismatch: got {actual}");
            }

            checksum = actual;
        }

        var link = await db.JobScreenshots.FirstOrDefaultAsync(s => s.JobId == jobId && s.Name == name, cancellationToken);
        if (link is null)
        {
            db.JobScreenshots.Add(new JobScreenshot { JobId = jobId, Name = name, Checksum = checksum });
        }
        else
        {
            link.Checksum = checksum;
        }

        await db.SaveChangesAsync(cancellationToken);
        return Results.Json(new { result = 1, checksum, stored });
    }

    private static async Task<IResult> StatsAsync(Job job, IFormFile? file, long limit, NeedleworkDbContext db, ArtefactStore store, CancellationToken cancellationToken)
    {
        if (file is null)
        {
            return ApiErrors.BadRequest("file is required");
        }

        string text;
        using (var reader = new StreamReader(file.OpenReadStream()))
        {
            text = await reader.ReadToEndAsync(cancellationToken);
        }

        StatsDocument parsed;
        try
        {
            parsed = StatsDocument.Parse(text);
        }
        catch (JsonException e)
        {
            return ApiErrors.BadRequest("malformed stats.json: " + e.Message);
        }

        using (var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)))
        {
            await store.SaveJobFileAsync(job.Id, "stats.json", content, limit, cancellationToken);
        }

        var stats = await db.JobStatistics.FirstOrDefaultAsync(s => s.JobId == job.Id, cancellationToken);
        if (stats is null)
        {
            stats = JobService.NewStatistics(job);
            db.JobStatistics.Add(stats);
        }

        stats.MaxStallSeconds = parsed.MaxStallSeconds;
        stats.StalledPercent = parsed.StalledPercent;
        stats.CaptureIntervalP95Ms = parsed.CaptureIntervalP95Ms;
        stats.HostLoad = parsed.HostLoad;
        stats.Summary = parsed.SummaryJson;
        await db.SaveChangesAsync(cancellationToken);
        return Results.Json(new { result = 1 });
    }

    private static JobModule Module(NeedleworkDbContext db, List<JobModule> modules, long jobId, string name)
    {
        var module = modules.FirstOrDefault(m => m.Name == name);
        if (module is null)
        {
            module = new JobModule { JobId = jobId, Name = name, Ordinal = modules.Count };
            modules.Add(module);
            db.JobModules.Add(module);
        }

        return module;
    }
}
