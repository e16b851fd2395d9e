using System.Text;
using System.Text.Encodings.Web;

namespace Needlework.Web.Pages;

/// <summary>The page frame and encoding helpers: plain HTML and CSS, no front-end tool chain.</summary>
public static class Html
{
    private const string Style = """
        body{font-family:sans-serif;margin:0;color:#222}header{background:#2d4f6b;color:#fff;padding:.5em 1em}
        header a{color:#fff;margin-right:1.2em;text-decoration:none}main{padding:1em}
        table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
        .passed{color:#2a7a2a}.failed,.incomplete,.timeout_exceeded{color:#b00}.softfailed{color:#c80}
        .tag{background:#eee;border-radius:3px;padding:0 .3em;font-size:90%}pre{background:#f6f6f6;padding:.5em;overflow:auto}
        .shot{position:relative;display:inline-block;margin:.3em}.shot img{display:block}
        .area{position:absolute;border:2px solid #0c0;box-sizing:border-box}.area.fail{border-color:#d00}
        form.filters input,form.filters select{margin-right:.5em}
        """;

    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    public static IResult Page(string title, string body) => Results.Content(
        $"""
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{E(title)} - Needlework</title><style>{Style}</style></head>
        <body><header><strong>Needlework</strong> &nbsp; <a href="/tests">Jobs</a><a href="/workers">Workers</a><a href="/known_failures">Known failures</a><a href="/statistics">Statistics</a></header>
        <main><h1>{E(title)}</h1>{body}</main></body></html>
        """,
        "text/html; charset=utf-8");

    public static string Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows, string? id = null)
    {
        var sb = new StringBuilder();
        sb.Append(id is null ? "<table>" : $"<table id=\"{E(id)}\">").Append("<thead><tr>");
        foreach (var h in headers)
        {
            sb.Append("<th>").Append(E(h)).Append("</th>");
        }

        sb.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            sb.Append("<tr>");
            foreach (var cell in row)
            {
                sb.Append("<td>").Append(cell).Append("</td>");
            }

            sb.Append("</tr>");
        }

        return sb.Append("</tbody></table>").ToString();
    }
}
