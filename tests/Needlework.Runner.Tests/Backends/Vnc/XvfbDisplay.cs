namespace Needlework.Runner.Tests.Backends.Vnc;

/// <summary>An Xvfb X server at 1024x768x24 on a display number nobody uses, without TCP.</summary>
internal sealed class XvfbDisplay : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private XvfbDisplay(ChildProcess process, int number)
    {
        _process = process;
        Number = number;
    }

    public int Number { get; }

    public string Name => $":{Number}";

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["DISPLAY"] = Name };

    public static async Task<XvfbDisplay> StartAsync(CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var number = Random.Shared.Next(200, 900);
            if (File.Exists($"/tmp/.X{number}-lock") || File.Exists($"/tmp/.X11-unix/X{number}"))
            {
                continue;
            }

            var process = ChildProcess.Start("Xvfb", [$":{number}", "-screen", "0", "1024x768x24", "-nolisten", "tcp"]);
            while (!process.HasExited && !File.Exists($"/tmp/.X11-unix/X{number}"))
            {
                await Task.Delay(20, cancellationToken);
            }

            // The socket appears before the server accepts; a short settle avoids a first failed client.
            await Task.Delay(100, cancellationToken);
            if (!process.HasExited)
            {
                return new XvfbDisplay(process, number);
            }

            failures.Add(process.Output);
            await process.DisposeAsync();
        }

        throw new InvalidOperationException($"could not start Xvfb on a free display: {string.Join(" | ", failures)}");
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
