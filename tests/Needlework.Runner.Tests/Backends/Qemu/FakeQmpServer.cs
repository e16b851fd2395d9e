using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Needlework.Runner.Tests.Backends.Qemu;

/// <summary>
/// A scripted QMP peer on a Unix socket, for protocol cases real QEMU will not produce on demand
/// (answers out of order, silence, garbage). Real QEMU is tested in the integration tests.
/// </summary>
internal sealed class FakeQmpServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _directory;
    private readonly Task _serve;
    private readonly Func<JsonElement, StreamWriter, Task> _answer;

    public FakeQmpServer(Func<JsonElement, StreamWriter, Task> answer)
    {
        _answer = answer;
        _directory = TestPaths.NewPool();
        SocketPath = Path.Combine(_directory, "qmp");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(1);
        _serve = Task.Run(ServeAsync);
    }

    public string SocketPath { get; }

    public StreamWriter? Writer { get; private set; }

    public static Task Reply(StreamWriter writer, JsonElement command, string returnJson) =>
        writer.WriteLineAsync($"{{\"return\": {returnJson}, \"id\": {command.GetProperty("id").GetRawText()}}}");

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        Writer?.Dispose();
        try
        {
            await _serve;
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
        }

        Directory.Delete(_directory, recursive: true);
    }

    private async Task ServeAsync()
    {
        using var connection = await _listener.AcceptAsync();
        using var stream = new NetworkStream(connection, ownsSocket: false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        Writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\r\n" };
        await Writer.WriteLineAsync("""{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "fake"}, "capabilities": ["oob"]}}""");
        while (await reader.ReadLineAsync() is { } line)
        {
            using var doc = JsonDocument.Parse(line);
            await _answer(doc.RootElement.Clone(), Writer);
        }
    }
}
