using Microsoft.EntityFrameworkCore;
using Needlework.Core.Jobs;
using Needlework.Web.Artefacts;
using Needlework.Web.Data;
using Needlework.Web.Scheduling;

namespace Needlework.Web.Api;

/// <summary>Serving artefacts: job files, screenshots by name or checksum, and the live image (which tells the worker somebody watches).</summary>
public static class FilesApi
{
    public static void MapFilesApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/tests/{id:long}/file/{name}", (long id, string name, ArtefactStore store) =>
        {
            var path = store.JobFile(id, name);
            return path is null ? ApiErrors.BadRequest("invalid file name")
                : !File.Exists(path) ? ApiErrors.Error(404, "no such file")
                : Results.File(path, ContentType(name), enableRangeProcessing: true);
        });

        routes.MapGet("/tests/{id:long}/images/{name}", async (long id, string name, NeedleworkDbContext db, ArtefactStore store, CancellationToken ct) =>
        {
            var checksum = await db.JobScreenshots.AsNoTracking().Where(s => s.JobId == id && s.Name == name).Select(s => s.Checksum).FirstOrDefaultAsync(ct);
            return checksum is null || !store.HasScreenshot(checksum) ? ApiErrors.Error(404, "no such screenshot") : Results.File(store.ScreenshotPath(checksum), "image/png");
        });

        routes.MapGet("/api/v1/screenshots/{checksum}", (string checksum, ArtefactStore store) =>
            store.HasScreenshot(checksum) ? Results.File(store.ScreenshotPath(checksum), "image/png") : ApiErrors.Error(404, "unknown checksum"));

        routes.MapGet("/tests/{id:long}/live.png", async (long id, HttpContext context, NeedleworkDbContext db, LiveViewTracker live, ArtefactStore store, CancellationToken ct) =>
        {
            var job = await db.Jobs.AsNoTracking().Where(j => j.Id == id).Select(j => new { j.State, j.AssignedWorkerId }).FirstOrDefaultAsync(ct);
            if (job is null)
            {
                return ApiErrors.JobNotFound(id);
            }

            if (!job.State.IsExecuting() || job.AssignedWorkerId is not { } worker)
            {
                return ApiErrors.Error(404, "job is not running");
            }

            await live.TouchAsync(id, worker, ct);
            context.Response.Headers.CacheControl = "no-store";
            var path = store.LivePath(id);
            return File.Exists(path) ? Results.File(path, "image/png") : Results.NoContent();
        });
    }

    private static string ContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".webm" => "video/webm",
        ".ogv" => "video/ogg",
        ".png" => "image/png",
        ".json" => "application/json",
        ".vtt" => "text/vtt",
        _ => "text/plain; charset=utf-8",
    };
}
