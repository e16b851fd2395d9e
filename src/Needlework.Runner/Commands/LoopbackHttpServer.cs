using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Needlework.Runner.Commands;

/// <summary>One request to the command server: method, path, decoded query and body.</summary>
public sealed record CommandRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? ContentType, byte[] Body);

/// <summary>The answer to a <see cref="CommandRequest"/>.</summary>
public sealed record CommandResponse(int Status, string ContentType, byte[] Body);

/// <summary>
/// The smallest HTTP/1.1 server the command server needs: on 127.0.0.1 only, one thread, one request per
/// connection (<c>Connection: close</c>), bodies up to 64 KiB (by Content-Length or chunked). Its one client is the worker
/// on the same host, asking about once a second at most. A full web server (Kestrel with its dependency
/// injection and routing) cost a short job more CPU to start than everything it ever served.
/// Anything malformed is answered 400, 404, 405, 411, 413 or 431, never with a crash.
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    public const int MaxHeaderBytes = 16 * 1024;
    public const int MaxBodyBytes = 64 * 1024;
    private static readonly TimeSpan IoTimeout = TimeSpan.FromSeconds(5);
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly Socket _listener;
    private readonly Func<CommandRequest, CommandResponse> _handler;
    private readonly Action<string> _log;
    private readonly Thread _thread;
    private int _disposed;

    private LoopbackHttpServer(Socket listener, Func<CommandRequest, CommandResponse> handler, Action<string> log)
    {
        _listener = listener;
        _handler = handler;
        _log = log;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _thread = new Thread(AcceptLoop) { Name = "commands", IsBackground = true };
    }

    /// <summary>The port the system chose on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Listens on 127.0.0.1 on a free port and serves each request with <paramref name="handler"/>.</summary>
    public static LoopbackHttpServer Start(Func<CommandRequest, CommandResponse> handler, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(log);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        var server = new LoopbackHttpServer(listener, handler, log);
        server._thread.Start();
        return server;
    }

    /// <summary>Stops listening and waits for the request in hand, if any.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _listener.Dispose();
        _thread.Join(IoTimeout + IoTimeout);
    }

    private void AcceptLoop()
    {
        while (Volatile.Read(ref _disposed) == 0)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            using (connection)
            {
                try
                {
                    Serve(connection);
                }
                catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
                {
                    // The client went away or stalled: nothing to answer, the next one is served.
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _log($"command server: {e.GetType().Name}: {e.Message}");
                }
            }
        }
    }

    private void Serve(Socket connection)
    {
        connection.ReceiveTimeout = (int)IoTimeout.TotalMilliseconds;
        connection.SendTimeout = (int)IoTimeout.TotalMilliseconds;
        connection.NoDelay = true;
        var response = Read(connection, out var request) ?? Handle(request!);
        Send(connection, response);
        connection.Shutdown(SocketShutdown.Send);
    }

    private CommandResponse Handle(CommandRequest request)
    {
        try
        {
            return _handler(request);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log($"command server: {request.Method} {request.Path} failed: {e.GetType().Name}: {e.Message}");
            return Text(500, "internal error");
        }
    }

    /// <summary>Reads one request; a response instead when the request is malformed or too large.</summary>
    private static CommandResponse? Read(Socket connection, out CommandRequest? request)
    {
        request = null;
        var buffer = new byte[MaxHeaderBytes];
        var filled = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, filled).IndexOf(HeaderEnd)) < 0)
        {
            if (filled == buffer.Length)
            {
                return Text(431, "request header too large");
            }

            var n = connection.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (n == 0)
            {
                return Text(400, "incomplete request");
            }

            filled += n;
        }

        var lines = Encoding.ASCII.GetString(buffer, 0, headerEnd).Split("\r\n");
        var start = lines[0].Split(' ');
        if (start.Length != 3 || !start[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || !start[1].StartsWith('/'))
        {
            return Text(400, "malformed request line");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return Text(400, "malformed header line");
            }

            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var input = new Input(connection, buffer, headerEnd + HeaderEnd.Length, filled);
        byte[] body;
        if (headers.TryGetValue("Transfer-Encoding", out var encoding))
        {
            if (!encoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                return Text(411, $"transfer encoding '{encoding}' is not supported: send a Content-Length or chunks");
            }

            var chunked = ReadChunked(input, out body);
            if (chunked is not null)
            {
                return chunked;
            }
        }
        else
        {
            var length = 0;
            if (headers.TryGetValue("Content-Length", out var declared)
                && !int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out length))
            {
                return Text(400, "malformed Content-Length");
            }

            if (length > MaxBodyBytes)
            {
                return Text(413, $"body larger than {MaxBodyBytes} bytes");
            }

            body = new byte[length];
            if (!input.ReadExactly(body))
            {
                return Text(400, "body shorter than its Content-Length");
            }
        }

        var target = start[1];
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = question < 0 ? target : target[..question];
        var query = question < 0 ? new Dictionary<string, string>() : ParseQuery(target[(question + 1)..]);
        request = new CommandRequest(start[0], Uri.UnescapeDataString(path), query, headers.GetValueOrDefault("Content-Type"), body);
        return null;
    }

    /// <summary>A chunked body (what HTTP clients send for content of unknown length), at most <see cref="MaxBodyBytes"/>.</summary>
    private static CommandResponse? ReadChunked(Input input, out byte[] body)
    {
        body = [];
        using var collected = new MemoryStream();
        while (true)
        {
            var sizeLine = input.ReadLine();
            var extension = sizeLine?.IndexOf(';', StringComparison.Ordinal) ?? -1;
            var sizeText = extension < 0 ? sizeLine : sizeLine![..extension];
            if (sizeText is null || !int.TryParse(sizeText.Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) || size < 0)
            {
                return Text(400, "malformed chunk size");
            }

            if (collected.Length + size > MaxBodyBytes)
            {
                return Text(413, $"body larger than {MaxBodyBytes} bytes");
            }

            if (size == 0)
            {
                // Trailers, if any, up to the empty line.
                string? trailer;
                while (!string.IsNullOrEmpty(trailer = input.ReadLine()))
                {
                }

                body = collected.ToArray();
                return trailer is null ? Text(400, "chunked body ends early") : null;
            }

            var chunk = new byte[size];
            if (!input.ReadExactly(chunk) || input.ReadLine() != string.Empty)
            {
                return Text(400, "malformed chunk");
            }

            collected.Write(chunk);
        }
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            values[name] = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
        }

        return values;

        static string Decode(string part) => Uri.UnescapeDataString(part.Replace('+', ' '));
    }

    private static void Send(Socket connection, CommandResponse response)
    {
        var head = $"HTTP/1.1 {response.Status} {ReasonPhrase(response.Status)}\r\n" +
            $"Content-Type: {response.ContentType}\r\nContent-Length: {response.Body.Length}\r\n" +
            "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
        connection.Send(Encoding.ASCII.GetBytes(head));
        connection.Send(response.Body);
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "Status",
    };

    /// <summary>The bytes of one connection after the header: what was read with it first, then the socket.</summary>
    private sealed class Input(Socket connection, byte[] buffer, int position, int filled)
    {
        private const int MaxLineBytes = 1024;

        public bool ReadExactly(Span<byte> target)
        {
            var got = Math.Min(target.Length, filled - position);
            buffer.AsSpan(position, got).CopyTo(target);
            position += got;
            while (got < target.Length)
            {
                var n = connection.Receive(target[got..], SocketFlags.None);
                if (n == 0)
                {
                    return false;
                }

                got += n;
            }

            return true;
        }

        /// <summary>One line without its CRLF; null when the connection ends first or the line is too long.</summary>
        public string? ReadLine()
        {
            var line = new StringBuilder();
            Span<byte> one = stackalloc byte[1];
            while (line.Length <= MaxLineBytes)
            {
                if (!ReadExactly(one))
                {
                    return null;
                }

                if (one[0] == (byte)'\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)one[0]);
            }

            return null;
        }
    }

    private static CommandResponse Text(int status, string message) =>
        new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(message + "\n"));
}
