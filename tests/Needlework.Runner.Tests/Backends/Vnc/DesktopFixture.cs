namespace Needlework.Runner.Tests.Backends.Vnc;

/// <summary>
/// A real X desktop for a test class: Xvfb plus one xterm at the top left whose shell copies everything
/// typed into <see cref="TypedFile"/>, so tests can check exactly which characters arrived.
/// </summary>
public sealed class DesktopFixture : IAsyncLifetime
{
    private ChildProcess? _xterm;

    internal XvfbDisplay Display { get; private set; } = null!;

    public string TypedFile { get; } = Path.Combine(Path.GetTempPath(), $"needlework-vnc-typed-{Guid.NewGuid():N}.txt");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Display = await XvfbDisplay.StartAsync(timeout.Token);
        _xterm = ChildProcess.Start(
            "xterm",
            ["-geometry", "80x24+0+0", "-e", "sh", "-c", $"exec cat > '{TypedFile}'"],
            Display.Environment);
        // The xterm window must be mapped before tests look at it or type into it.
        while (!File.Exists(TypedFile))
        {
            if (_xterm.HasExited)
            {
                throw new InvalidOperationException($"xterm exited: {_xterm.Output}");
            }

            await Task.Delay(20, timeout.Token);
        }

        await Task.Delay(300, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        if (_xterm is not null)
        {
            await _xterm.DisposeAsync();
        }

        await Display.DisposeAsync();
        File.Delete(TypedFile);
    }
}
