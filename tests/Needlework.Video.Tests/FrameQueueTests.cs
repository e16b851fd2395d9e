using System.Diagnostics;
using Needlework.Video;

namespace Needlework.Video.Tests;

public sealed class FrameQueueTests
{
    [Fact]
    public void A_full_queue_refuses_at_once_and_a_completed_one_drains_then_ends()
    {
        var queue = new FrameQueue(2);
        Assert.True(queue.TryAdd(new QueuedFrame(null, DateTimeOffset.UnixEpoch), out var depth));
        Assert.Equal(1, depth);
        Assert.True(queue.TryAdd(new QueuedFrame(null, DateTimeOffset.UnixEpoch.AddSeconds(1)), out depth));
        Assert.Equal(2, depth);
        Assert.False(queue.TryAdd(new QueuedFrame(null, DateTimeOffset.UnixEpoch.AddSeconds(2)), out _));

        queue.Complete();
        Assert.False(queue.TryAdd(new QueuedFrame(null, DateTimeOffset.UnixEpoch.AddSeconds(3)), out _));
        Assert.True(queue.Take(out var first));
        Assert.Equal(DateTimeOffset.UnixEpoch, first.CapturedAt);
        Assert.True(queue.Take(out var second));
        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(1), second.CapturedAt);
        Assert.False(queue.Take(out _));
    }

    [Fact]
    public async Task Take_waits_for_an_item_from_another_thread()
    {
        var queue = new FrameQueue(4);
        var taken = new TaskCompletionSource<DateTimeOffset>();
        var thread = new Thread(() => taken.SetResult(queue.Take(out var item) ? item.CapturedAt : default));
        thread.Start();
        Thread.Sleep(50);
        Assert.False(taken.Task.IsCompleted);

        queue.TryAdd(new QueuedFrame(null, DateTimeOffset.UnixEpoch.AddDays(1)), out _);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), await taken.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        thread.Join();
    }

    [Fact]
    public async Task Completing_wakes_a_waiting_writer()
    {
        var queue = new FrameQueue(1);
        var ended = new TaskCompletionSource<bool>();
        var thread = new Thread(() => ended.SetResult(queue.Take(out _)));
        thread.Start();
        Thread.Sleep(50);
        queue.Complete();
        Assert.False(await ended.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        thread.Join();
    }

    [Fact]
    public void An_encoders_stdin_pipe_is_enlarged_to_hold_a_whole_frame_where_allowed()
    {
        var startInfo = new ProcessStartInfo("cat") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(startInfo)!;
        try
        {
            var size = PipeBuffer.TryEnlarge(process.StandardInput.BaseStream, 4 << 20);
            Assert.NotNull(size);
            var allowed = int.Parse(File.ReadAllText("/proc/sys/fs/pipe-max-size").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            // Root may pass pipe-max-size; anyone gets at least up to it (1 MiB by default, 16 times the 64 KiB default).
            Assert.True(size >= Math.Min(allowed, 4 << 20), $"pipe holds {size} bytes, pipe-max-size is {allowed}");
            Assert.Null(PipeBuffer.TryEnlarge(new MemoryStream(), 4 << 20));
        }
        finally
        {
            process.StandardInput.Close();
            process.WaitForExit(5000);
        }
    }
}
