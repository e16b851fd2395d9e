using Needlework.Vnc.Tests.Infrastructure;

namespace Needlework.Vnc.Tests.Integration;

/// <summary>
/// Pointer events proven through xterm's selection: a double click selects a word, a drag selects a line,
/// and a middle click pastes the selection into the shell, which copies it to a file.
/// </summary>
public sealed class X11VncPointerTests(DesktopFixture desktop) : IClassFixture<DesktopFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task DoubleClickAndDrag_Select_MiddleClickPastes()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        await using var server = await X11VncServer.StartAsync(desktop.Display, new X11VncServerOptions(), deadline.Token);
        await using var client = new VncClient(server.ClientOptions());
        await client.ConnectAsync(deadline.Token);
        await client.MovePointerAsync(200, 150, deadline.Token);
        var word = $"alpha{Random.Shared.Next(1000, 9999)}";
        await client.TypeStringAsync($"{word} beta\n", deadline.Token);
        await WaitForFileAsync($"{word} beta\n", deadline.Token);

        // The first line of the xterm (default 6x13 font, 2-pixel border) holds the echoed text.
        await client.MovePointerAsync(14, 8, deadline.Token);
        await client.DoubleClickAsync(MouseButton.Left, deadline.Token);
        await client.ClickAsync(MouseButton.Middle, deadline.Token);
        await client.SendKeyAsync("ret", deadline.Token);
        await WaitForFileAsync($"{word} beta\n{word}\n", deadline.Token);

        await client.DragAsync(1, 8, 400, 8, MouseButton.Left, deadline.Token);
        await client.ClickAsync(MouseButton.Middle, deadline.Token);
        await client.SendKeyAsync("ret", deadline.Token);
        // Dragged past the line's end, xterm selects its newline too: the Return adds an empty line.
        await WaitForFileAsync($"{word} beta\n{word}\n{word} beta\n\n", deadline.Token);
    }

    private async Task WaitForFileAsync(string expected, CancellationToken cancellationToken)
    {
        while (true)
        {
            var content = await File.ReadAllTextAsync(desktop.TypedFile, cancellationToken);
            if (content == expected)
            {
                return;
            }

            try
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"expected the xterm to have received \"{expected}\", it has \"{content}\"");
            }
        }
    }
}
