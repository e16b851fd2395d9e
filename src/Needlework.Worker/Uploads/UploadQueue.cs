using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Needlework.Worker.WebUi;

namespace Needlework.Worker.Uploads;

/// <summary>
/// A durable, ordered upload queue: every status, result, log and set_done is first written to the spool
/// directory, then sent; only an answer from the web UI removes it. When the web UI is away the queue
/// waits with backoff (or until the connection comes back) and goes on where it stopped, also after the
/// worker itself restarted. A status superseded by a newer one of the same job is skipped, because each
/// status carries everything known so far.
/// </summary>
public sealed class UploadQueue
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };
    private readonly string directory;
    private readonly WebUiClient client;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Backoff backoff;
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<bool> retryNow = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Lock gate = new();
    private readonly List<(long Sequence, TaskCompletionSource Done)> waiters = [];
    private long next;
    private long completedThrough;

    public UploadQueue(string directory, WebUiClient client, TimeProvider time, ILogger logger, TimeSpan minimumRetry, TimeSpan maximumRetry)
    {
        this.directory = directory;
        this.client = client;
        this.time = time;
        this.logger = logger;
        backoff = new Backoff(minimumRetry, maximumRetry);
        Directory.CreateDirectory(directory);
        var existing = Pending();
        next = existing.Count == 0 ? 0 : existing[^1].Sequence;
        completedThrough = existing.Count == 0 ? next : existing[0].Sequence - 1;
    }

    /// <summary>Items still waiting; those left by an earlier worker process count too.</summary>
    public int PendingCount => Pending().Count;

    /// <summary>Writes the item to disk and wakes the sender; returns its sequence number.</summary>
    public long Enqueue(UploadItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        long sequence;
        lock (gate)
        {
            sequence = ++next;
            var path = PathOf(sequence);
            var temporary = path + ".tmp";
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(item with { Sequence = sequence }, Json));
            File.Move(temporary, path, overwrite: true);
        }

        wake.Writer.TryWrite(true);
        return sequence;
    }

    /// <summary>Retries now instead of at the end of the current wait: the web UI is back.</summary>
    public void RetryNow()
    {
        backoff.Reset();
        retryNow.Writer.TryWrite(true);
    }

    /// <summary>Completes when every item up to <paramref name="sequence"/> is done (taken or refused by the web UI).</summary>
    public Task WhenDoneAsync(long sequence, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (completedThrough >= sequence)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((sequence, done));
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes when everything queued so far is done.</summary>
    public Task WhenEmptyAsync(CancellationToken cancellationToken)
    {
        long last;
        lock (gate)
        {
            last = next;
        }

        return WhenDoneAsync(last, cancellationToken);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var pending = Pending();
            if (pending.Count == 0)
            {
                await wake.Reader.ReadAsync(cancellationToken);
                continue;
            }

            var failed = false;
            for (var i = 0; i < pending.Count && !failed; i++)
            {
                var (sequence, path) = pending[i];
                UploadItem? item;
                try
                {
                    item = JsonSerializer.Deserialize<UploadItem>(await File.ReadAllBytesAsync(path, cancellationToken), Json);
                }
                catch (Exception e) when (e is JsonException or IOException)
                {
                    Log.UploadUnreadable(logger, path, e.Message);
                    item = null;
                }

                if (item is not null && !IsSuperseded(item, pending, i))
                {
                    try
                    {
                        await SendAsync(item, cancellationToken);
                    }
                    catch (WebUiUnavailableException e)
                    {
                        Log.UploadDeferred(logger, item.Kind.ToString(), item.JobId, e.Message);
                        failed = true;
                        continue;
                    }
                    catch (WebUiRefusedException e)
                    {
                        // Sending it again gets the same answer; keeping it would block every later upload.
                        Log.UploadRefused(logger, item.Kind.ToString(), item.JobId, e.Message);
                    }
                }

                File.Delete(path);
                Complete(sequence);
            }

            if (failed)
            {
                await WaitBeforeRetryAsync(cancellationToken);
            }
        }
    }

    private async Task SendAsync(UploadItem item, CancellationToken cancellationToken)
    {
        switch (item.Kind)
        {
            case UploadKind.Status:
                await client.PostStatusAsync(item.JobId, item.Body ?? [], cancellationToken);
                break;
            case UploadKind.SetDone:
                await client.SetDoneAsync(item.JobId, item.Body ?? [], cancellationToken);
                break;
            case UploadKind.Screenshot:
                try
                {
                    // Most screens were seen before (the same boot menu in every job): link, do not send.
                    await client.UploadArtefactAsync(item.JobId, "screenshot", item.Name!, null, item.Checksum, cancellationToken);
                }
                catch (WebUiRefusedException e) when (e.StatusCode == 404 && File.Exists(item.FilePath))
                {
                    await client.UploadArtefactAsync(item.JobId, "screenshot", item.Name!, item.FilePath, item.Checksum, cancellationToken);
                }

                break;
            default:
                if (item.FilePath is null || !File.Exists(item.FilePath))
                {
                    Log.UploadFileGone(logger, item.FilePath ?? "(none)");
                    return;
                }

                await client.UploadArtefactAsync(item.JobId, item.ArtefactType ?? "result", item.Name!, item.FilePath, null, cancellationToken);
                break;
        }
    }

    private static bool IsSuperseded(UploadItem item, List<(long Sequence, string Path)> pending, int index)
    {
        if (item.Kind != UploadKind.Status)
        {
            return false;
        }

        // Peeking at names is not enough (the kind is inside); reading the few later items is cheap.
        for (var j = index + 1; j < pending.Count; j++)
        {
            try
            {
                var later = JsonSerializer.Deserialize<UploadItem>(File.ReadAllBytes(pending[j].Path), Json);
                if (later is { Kind: UploadKind.Status } && later.JobId == item.JobId)
                {
                    return true;
                }

                if (later is { Kind: UploadKind.SetDone } && later.JobId == item.JobId)
                {
                    return false;
                }
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
            }
        }

        return false;
    }

    private async Task WaitBeforeRetryAsync(CancellationToken cancellationToken)
    {
        var wait = backoff.Next();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(wait, time, either.Token);
        var woken = retryNow.Reader.WaitToReadAsync(either.Token).AsTask();
        await Task.WhenAny(delay, woken);
        retryNow.Reader.TryRead(out _);
        await either.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Complete(long sequence)
    {
        lock (gate)
        {
            completedThrough = Math.Max(completedThrough, sequence);
            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].Sequence <= completedThrough)
                {
                    waiters[i].Done.TrySetResult();
                    waiters.RemoveAt(i);
                }
            }
        }
    }

    private List<(long Sequence, string Path)> Pending() =>
        Directory.EnumerateFiles(directory, "*.json")
            .Select(p => (Ok: long.TryParse(Path.GetFileNameWithoutExtension(p), NumberStyles.None, CultureInfo.InvariantCulture, out var s), Sequence: s, Path: p))
            .Where(x => x.Ok)
            .Select(x => (x.Sequence, x.Path))
            .OrderBy(x => x.Sequence)
            .ToList();

    private string PathOf(long sequence) => Path.Combine(directory, sequence.ToString("D12", CultureInfo.InvariantCulture) + ".json");
}
