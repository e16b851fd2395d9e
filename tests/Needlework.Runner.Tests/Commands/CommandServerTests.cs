using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Needlework.Imaging.Frames;
using Needlework.Runner.Capture;
using Needlework.Runner.Commands;
using Needlework.Runner.Results;
using Needlework.Runner.Testing;

namespace Needlework.Runner.Tests.Commands;

/// <summary>The command server on its own: real sockets on 127.0.0.1, a real HTTP client and raw bad requests.</summary>
public sealed class CommandServerTests : IDisposable
{
    private readonly string _pool = Directory.CreateTempSubdirectory("needlework-commands-").FullName;
    private readonly FrameStore _frames = new();
    private readonly StopRequest _stop = new();
    private readonly List<string> _log = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly CommandServer _server;

    public CommandServerTests()
    {
        _server = CommandServer.Start(_pool, "0123abcd", _frames, () => new RunnerStatus("running", "boot", 7, _stop.Reason?.Message), _stop, m => { lock (_log) { _log.Add(m); } });
    }

    [Fact]
    public void AddressFileNamesTheLoopbackUrlWithTheToken()
    {
        using var file = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(_pool, CommandServer.AddressFile)));
        var url = new Uri(file.RootElement.GetProperty("url").GetString()!);
        Assert.Equal(IPAddress.Loopback.ToString(), url.Host);
        Assert.Equal("/0123abcd/", url.AbsolutePath);
        Assert.Equal("0123abcd", file.RootElement.GetProperty("token").GetString());
        Assert.Equal(Environment.ProcessId, file.RootElement.GetProperty("pid").GetInt32());
    }

    [Fact]
    public async Task LastPngIsEncodedOnlyWhenAskedAndOnlyOnceFrameExists()
    {
        var none = await _http.GetAsync(new Uri(_server.BaseAddress, "last.png"));
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
        Assert.Equal("no frame captured yet", (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());

        var frame = new Frame(64, 48);
        frame.Pixels.Fill(200);
        _frames.Publish(new CapturedFrame(frame, 0, 0, DateTimeOffset.UtcNow));
        Assert.Equal(0, _server.PngRequests);

        var response = await _http.GetAsync(new Uri(_server.BaseAddress, "last.png"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var png = Png.Decode(await response.Content.ReadAsByteArrayAsync(), "last.png");
        Assert.Equal((64, 48), (png.Width, png.Height));
        Assert.True(png.ReadOnlyPixels.SequenceEqual(frame.ReadOnlyPixels));
        Assert.Equal(1, _server.PngRequests);
    }

    [Fact]
    public async Task StatusIsJsonInOpenQaNaming()
    {
        var status = await _http.GetFromJsonAsync<JsonElement>(new Uri(_server.BaseAddress, "status"));
        Assert.Equal("running", status.GetProperty("status").GetString());
        Assert.Equal("boot", status.GetProperty("current_test").GetString());
        Assert.Equal(7, status.GetProperty("frames").GetInt64());
        Assert.False(status.TryGetProperty("stop", out _));
    }

    [Fact]
    public async Task StopTakesTheReasonFromTheQueryOrAJsonBodyAndOnlyTheFirstCounts()
    {
        var first = await _http.PostAsync(new Uri(_server.BaseAddress, "stop?reason=" + Uri.EscapeDataString("cancelled: by the user")), null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var answer = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("first").GetBoolean());
        Assert.Equal("cancelled: by the user", _stop.Reason?.Message);
        Assert.Equal("isotovideo", _stop.Reason?.Component);
        Assert.True(_stop.Token.IsCancellationRequested);

        var second = await _http.PostAsJsonAsync(new Uri(_server.BaseAddress, "stop"), new { reason = "worker shutting down" });
        var again = await second.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(again.GetProperty("first").GetBoolean());
        Assert.Equal("cancelled: by the user", again.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task StopWithAJsonBodyAndNoReasonUsesTheDefault()
    {
        var response = await _http.PostAsJsonAsync(new Uri(_server.BaseAddress, "stop"), new { reason = "graceful: from the body" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("graceful: from the body", _stop.Reason?.Message);
    }

    [Fact]
    public async Task MalformedJsonIsRefusedAndStopsNothing()
    {
        using var body = new StringContent("{\"reason\": ", Encoding.UTF8, "application/json");
        var response = await _http.PostAsync(new Uri(_server.BaseAddress, "stop"), body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("malformed JSON", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Null(_stop.Reason);
    }

    [Fact]
    public async Task WrongTokenUnknownPathAndWrongMethodAreRefused()
    {
        var root = _server.BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(new Uri(root + "/wrong-token/last.png"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(new Uri(root + "/0123abcd/../status"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync(new Uri(_server.BaseAddress, "nothing"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _http.PostAsync(new Uri(_server.BaseAddress, "last.png"), null)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await _http.GetAsync(new Uri(_server.BaseAddress, "stop"))).StatusCode);
        Assert.Null(_stop.Reason);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n", 400)]
    [InlineData("GET /0123abcd/status\r\n\r\n", 400)]
    [InlineData("GET /0123abcd/status HTTP/1.1\r\nno colon here\r\n\r\n", 400)]
    [InlineData("POST /0123abcd/stop HTTP/1.1\r\nContent-Length: nine\r\n\r\n", 400)]
    [InlineData("POST /0123abcd/stop HTTP/1.1\r\nContent-Length: 100000\r\n\r\n", 413)]
    [InlineData("POST /0123abcd/stop HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 411)]
    [InlineData("POST /0123abcd/stop HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400)]
    [InlineData("POST /0123abcd/stop HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n20000\r\n", 413)]
    [InlineData("POST /0123abcd/stop HTTP/1.1\r\nContent-Length: 16\r\nContent-Type: application/json\r\n\r\n{\"reason\": nope}", 400)]
    [InlineData("POST /0123abcd/stop HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n4\r\n{\"re\r\n0\r\n\r\n", 400)]
    public async Task MalformedRequestsGetAClearStatusAndTheServerGoesOn(string request, int status)
    {
        Assert.Equal(status, await RawStatusAsync(Encoding.ASCII.GetBytes(request)));
        Assert.Null(_stop.Reason);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(_server.BaseAddress, "status"))).StatusCode);
    }

    [Fact]
    public async Task AnOversizedHeaderIsRefusedWith431()
    {
        var request = "GET /0123abcd/status HTTP/1.1\r\nX-Padding: " + new string('a', LoopbackHttpServer.MaxHeaderBytes) + "\r\n\r\n";
        Assert.Equal(431, await RawStatusAsync(Encoding.ASCII.GetBytes(request)));
    }

    [Fact]
    public async Task AClientThatConnectsAndLeavesDoesNotStopTheServer()
    {
        using (var idle = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await idle.ConnectAsync(IPAddress.Loopback, _server.BaseAddress.Port);
        }

        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri(_server.BaseAddress, "status"))).StatusCode);
    }

    [Fact]
    public async Task AfterDisposeNothingListens()
    {
        var port = _server.BaseAddress.Port;
        _server.Dispose();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(IPAddress.Loopback, port));
    }

    public void Dispose()
    {
        _server.Dispose();
        _http.Dispose();
        _stop.Dispose();
        Directory.Delete(_pool, recursive: true);
    }

    private async Task<int> RawStatusAsync(byte[] request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _server.BaseAddress.Port);
        try
        {
            await socket.SendAsync(request);
        }
        catch (SocketException)
        {
            // The server may answer and close before reading all of an oversized request.
        }

        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(line);
        return int.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
