using System.Diagnostics;
using System.Text.Json;
using Needlework.Runner.Backends.Qemu;
using Needlework.Video;

namespace Needlework.Runner.Tests.Backends.Qemu;

public sealed class QmpClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    [Fact(Timeout = 10_000)]
    public async Task Answers_are_matched_by_id_even_out_of_order_and_events_are_delivered()
    {
        var held = new List<JsonElement>();
        var firstHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new FakeQmpServer(async (command, writer) =>
        {
            switch (command.GetProperty("execute").GetString())
            {
                case "qmp_capabilities":
                    await FakeQmpServer.Reply(writer, command, "{}");
                    break;
                case "first":
                    // Held back until "second" arrives, then answered after it.
                    held.Add(command);
                    firstHeld.SetResult();
                    break;
                case "second":
                    await writer.WriteLineAsync("""{"timestamp": {"seconds": 1700000000, "microseconds": 5}, "event": "STOP"}""");
                    await FakeQmpServer.Reply(writer, command, "\"two\"");
                    await FakeQmpServer.Reply(writer, held[0], "\"one\"");
                    break;
            }
        });
        // A generous timeout: this test is about order, and in a cold test process the first commands wait for the
        // JIT (with 0.5 s, "first" timed out in four of six runs of this class alone).
        using var client = await OnThread(() => QmpClient.Connect(server.SocketPath, TimeSpan.FromSeconds(10), CancellationToken.None));
        Assert.Equal(7, client.Greeting.GetProperty("version").GetProperty("qemu").GetProperty("major").GetInt32());

        var first = OnThread(() => client.Execute("first", null, CancellationToken.None));
        // "second" goes out only once the server holds "first", however slow the machine.
        await firstHeld.Task.WaitAsync(TimeSpan.FromSeconds(5));
        var second = OnThread(() => client.Execute("second", null, CancellationToken.None));
        Assert.Equal("two", (await second).GetString());
        Assert.Equal("one", (await first).GetString());

        var stop = await client.Events.ReadAsync();
        Assert.Equal("STOP", stop.Name);
        Assert.Equal(1700000000, stop.Timestamp.ToUnixTimeSeconds());
    }

    [Fact(Timeout = 10_000)]
    public async Task A_silent_peer_gives_a_timeout_within_the_configured_time()
    {
        await using var server = new FakeQmpServer(async (command, writer) =>
        {
            if (command.GetProperty("execute").GetString() == "qmp_capabilities")
            {
                await FakeQmpServer.Reply(writer, command, "{}");
            }
        });
        using var client = await OnThread(() => QmpClient.Connect(server.SocketPath, Timeout, CancellationToken.None));

        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<QmpTimeoutException>(() => OnThread(() => client.Execute("query-status", null, CancellationToken.None)));
        // Not before its deadline (a slow machine can only make this later; the test's own timeout bounds a hang).
        Assert.True(watch.Elapsed >= Timeout * 0.9, $"gave up after {watch.Elapsed}");
        Assert.Equal("QMP command 'query-status' got no answer within 0.5 s: QEMU is not responding", e.Message);
    }

    [Fact(Timeout = 10_000)]
    public async Task Errors_carry_qemus_class_and_a_closed_connection_fails_pending_commands()
    {
        await using var server = new FakeQmpServer(async (command, writer) =>
        {
            switch (command.GetProperty("execute").GetString())
            {
                case "qmp_capabilities":
                    await FakeQmpServer.Reply(writer, command, "{}");
                    break;
                case "bogus":
                    await writer.WriteLineAsync($$"""{"error": {"class": "CommandNotFound", "desc": "The command bogus has not been found"}, "id": {{command.GetProperty("id").GetRawText()}}}""");
                    break;
                case "hangup":
                    writer.BaseStream.Close();
                    break;
            }
        });
        using var client = await OnThread(() => QmpClient.Connect(server.SocketPath, TimeSpan.FromSeconds(5), CancellationToken.None));

        var error = await Assert.ThrowsAsync<QmpException>(() => OnThread(() => client.Execute("bogus", null, CancellationToken.None)));
        Assert.Equal("CommandNotFound", error.ErrorClass);
        Assert.Contains("The command bogus has not been found", error.Message, StringComparison.Ordinal);

        // Failed by the closed connection, not by its 5 s deadline: no timing needed to tell the two apart.
        var closed = await Assert.ThrowsAsync<QmpException>(() => OnThread(() => client.Execute("hangup", null, CancellationToken.None)));
        Assert.IsNotType<QmpTimeoutException>(closed);
        Assert.Null(closed.ErrorClass);
        await client.Completion.WaitAsync(TimeSpan.FromSeconds(2));
        Assert.False(client.IsConnected);
    }

    /// <summary>The client blocks its caller: each call gets a thread of its own, so the fake server's thread-pool work never waits for one.</summary>
    private static Task<T> OnThread<T>(Func<T> work) => DedicatedThread.Run("qmp-test", work);
}
