using System.Text.Json;

namespace Needlework.Worker.Jobs;

/// <summary>
/// The runner's command server on loopback, found through command_server.json in the pool directory:
/// last.png (encoded only when asked) for the live view, and a graceful stop with a reason.
/// </summary>
public sealed class CommandServerClient(string poolDirectory) : IDisposable
{
    public const string AddressFile = "command_server.json";
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Uri? baseAddress;

    /// <summary>The command server's address, once the runner wrote it.</summary>
    public Uri? BaseAddress => baseAddress ??= ReadAddress();

    /// <summary>The current screen as PNG; null when the runner has no server (yet) or no frame.</summary>
    public async Task<byte[]?> LastPngAsync(CancellationToken cancellationToken)
    {
        if (BaseAddress is not { } address)
        {
            return null;
        }

        try
        {
            using var response = await http.GetAsync(new Uri(address, "last.png"), cancellationToken);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync(cancellationToken) : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Asks the runner to stop; false when it could not be reached.</summary>
    public async Task<bool> StopAsync(string reason, CancellationToken cancellationToken)
    {
        if (BaseAddress is not { } address)
        {
            return false;
        }

        try
        {
            using var response = await http.PostAsync(new Uri(address, "stop?reason=" + Uri.EscapeDataString(reason)), null, cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or IOException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    public void Dispose() => http.Dispose();

    private Uri? ReadAddress()
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(poolDirectory, AddressFile)));
            return doc.RootElement.TryGetProperty("url", out var url) && Uri.TryCreate(url.GetString(), UriKind.Absolute, out var uri) && uri.IsLoopback
                ? uri
                : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
