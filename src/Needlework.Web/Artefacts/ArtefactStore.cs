using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Needlework.Web.Artefacts;

/// <summary>
/// Files in the data directory: test results per job, screenshots once per checksum, the last live
/// image per job. Every write goes to a temporary file first and is moved into place only when
/// complete and within its limit, so a failed upload leaves nothing half stored.
/// </summary>
public sealed class ArtefactStore(IOptions<WebUiOptions> options)
{
    private readonly string root = Path.GetFullPath(options.Value.DataDirectory);

    public string JobDirectory(long jobId) => Path.Combine(root, "testresults", jobId.ToString("D8", System.Globalization.CultureInfo.InvariantCulture));

    public string ScreenshotPath(string checksum) => Path.Combine(root, "screenshots", checksum[..2], checksum + ".png");

    public string LivePath(long jobId) => Path.Combine(root, "live", jobId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".png");

    /// <summary>The path of a job's file, or null when the name is unsafe.</summary>
    public string? JobFile(long jobId, string name) => ArtefactName.IsSafe(name) ? Path.Combine(JobDirectory(jobId), name) : null;

    public async Task SaveJobFileAsync(long jobId, string name, Stream content, long limit, CancellationToken cancellationToken)
    {
        var path = JobFile(jobId, name) ?? throw new ArgumentException("unsafe file name", nameof(name));
        var temp = await WriteTempAsync(content, limit, hash: false, cancellationToken);
        Move(temp.Path, path);
    }

    /// <summary>Stores a screenshot under its SHA-256, once; returns the checksum.</summary>
    public async Task<string> SaveScreenshotAsync(Stream content, long limit, CancellationToken cancellationToken)
    {
        var temp = await WriteTempAsync(content, limit, hash: true, cancellationToken);
        var target = ScreenshotPath(temp.Checksum!);
        if (File.Exists(target))
        {
            File.Delete(temp.Path);
        }
        else
        {
            Move(temp.Path, target);
        }

        return temp.Checksum!;
    }

    public bool HasScreenshot(string checksum) => ArtefactName.IsChecksum(checksum) && File.Exists(ScreenshotPath(checksum));

    public async Task SaveLiveAsync(long jobId, Stream content, long limit, CancellationToken cancellationToken)
    {
        var temp = await WriteTempAsync(content, limit, hash: false, cancellationToken);
        Move(temp.Path, LivePath(jobId));
    }

    private async Task<(string Path, string? Checksum)> WriteTempAsync(Stream content, long limit, bool hash, CancellationToken cancellationToken)
    {
        var tempDir = Path.Combine(root, "tmp");
        Directory.CreateDirectory(tempDir);
        var tempPath = Path.Combine(tempDir, Guid.NewGuid().ToString("N"));
        using var sha = hash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        try
        {
            await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > limit)
                    {
                        throw new UploadTooLargeException(limit);
                    }

                    sha?.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return (tempPath, sha is null ? null : Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    private static void Move(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Move(from, to, overwrite: true);
    }
}
