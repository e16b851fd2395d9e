using System.CommandLine;
using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;
using Spectre.Console;

namespace Needlework.Cli;

/// <summary>
/// <c>needlework demo</c>: shows what Needlework can do so far. Until the web UI, worker and runner land it
/// loads the example needles and matches them against the real screens captured from the example SUTs.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var examples = new Option<DirectoryInfo>("--examples") { Description = "The examples directory", DefaultValueFactory = _ => new DirectoryInfo("examples") };
        var demo = new Command("demo", "Run the demo: what exists so far, on the example needles and screens") { examples };
        demo.SetAction(parse => Run(parse.GetValue(examples)!));
        return demo;
    }

    private static int Run(DirectoryInfo examples)
    {
        AnsiConsole.MarkupLine("[bold]Needlework demo[/]: the web UI, worker and runner are not built yet; this demo shows the imaging and needle core on screens captured from real SUTs.");
        var failures = 0;
        foreach (var distribution in examples.EnumerateDirectories().OrderBy(d => d.Name))
        {
            var needles = Path.Combine(distribution.FullName, "needles");
            var screens = Path.Combine(distribution.FullName, "screens");
            if (!Directory.Exists(needles) || !Directory.Exists(screens))
            {
                continue;
            }

            var set = NeedleSet.Load(needles);
            AnsiConsole.MarkupLineInterpolated($"[bold]{distribution.Name}[/]: {set.All.Count} needles, {set.Problems.Count} broken");
            var table = new Table().AddColumns("screen", "best needle", "similarity", "click at");
            foreach (var screen in Directory.EnumerateFiles(screens, "*.png").Order(StringComparer.Ordinal))
            {
                var frame = Png.ReadFile(screen);
                var result = NeedleSearch.Search(frame, set.All, NeedleSearch.FullRatio);
                if (result.Best is { } best)
                {
                    var (x, y) = best.ClickPosition;
                    table.AddRow(Path.GetFileName(screen), best.Needle.Name, $"{best.Areas.Min(a => a.Similarity) * 100:F1}%", $"{x},{y}");
                }
                else
                {
                    failures++;
                    table.AddRow(Path.GetFileName(screen), "[red]none[/]", "-", "-");
                }
            }

            AnsiConsole.Write(table);
        }

        return failures == 0 ? 0 : 1;
    }
}
