using System.CommandLine;
using Needlework.Imaging.Frames;
using Needlework.Imaging.Needles;
using Spectre.Console;

namespace Needlework.Cli;

/// <summary><c>needlework needles check|match</c>: inspect a needles directory and try needles on a screenshot.</summary>
internal static class NeedlesCommand
{
    public static Command Create()
    {
        var command = new Command("needles", "Check a needles directory, or match needles against a screenshot");
        command.Subcommands.Add(CreateCheck());
        command.Subcommands.Add(CreateMatch());
        return command;
    }

    private static Command CreateCheck()
    {
        var directory = new Argument<DirectoryInfo>("directory") { Description = "The needles directory, searched recursively" };
        var check = new Command("check", "Load every needle and report the ones that are broken, with file and field") { directory };
        check.SetAction(parse =>
        {
            var set = NeedleSet.Load(parse.GetValue(directory)!.FullName);
            AnsiConsole.MarkupLineInterpolated($"{set.All.Count} needles loaded, {set.Problems.Count} broken");
            foreach (var problem in set.Problems)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]broken[/] {problem.File}: [yellow]{problem.Field}[/]: {problem.Message}");
            }

            return set.Problems.Count == 0 ? 0 : 1;
        });
        return check;
    }

    private static Command CreateMatch()
    {
        var screen = new Argument<FileInfo>("screen") { Description = "A screenshot (PNG or PPM)" };
        var directory = new Argument<DirectoryInfo>("directory") { Description = "The needles directory" };
        var tags = new Option<string[]>("--tag") { Description = "Tags a needle must all have (repeatable); all needles when none", AllowMultipleArgumentsPerToken = true };
        var full = new Option<bool>("--full") { Description = "Search the whole screen, as the last check of an assert does" };
        var match = new Command("match", "Check needles against a screenshot and show every candidate's areas") { screen, directory, tags, full };
        match.SetAction(parse =>
        {
            var path = parse.GetValue(screen)!.FullName;
            var frame = path.EndsWith(".ppm", StringComparison.OrdinalIgnoreCase) ? Ppm.ReadFile(path) : Png.ReadFile(path);
            var set = NeedleSet.Load(parse.GetValue(directory)!.FullName);
            var wanted = parse.GetValue(tags) ?? [];
            var candidates = wanted.Length == 0 ? set.All.ToList() : set.WithTags(wanted);
            var result = NeedleSearch.Search(frame, candidates, parse.GetValue(full) ? NeedleSearch.FullRatio : NeedleSearch.NormalRatio);
            var table = new Table().AddColumns("needle", "result", "areas (x,y wxh similarity)");
            foreach (var candidate in result.Candidates)
            {
                var areas = string.Join("; ", candidate.Areas.Select(a => $"{a.X},{a.Y} {a.Width}x{a.Height} {a.Similarity * 100:F1}%"));
                table.AddRow(Markup.Escape(candidate.Needle.Name), candidate.Passed ? "[green]match[/]" : "[red]no match[/]", Markup.Escape(areas));
            }

            AnsiConsole.Write(table);
            return result.Found ? 0 : 1;
        });
        return match;
    }
}
