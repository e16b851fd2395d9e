using System.Globalization;

namespace Needlework.Runner.Backends.Vnc;

/// <summary>
/// The job variables of the generic VNC backend (BACKEND=vnc), with openQA's names: VNC_HOST (default
/// 127.0.0.1), VNC_PORT or the display number VNC (port 5900 + VNC), VNC_PASSWORD or PASSWORD, XRES and YRES.
/// </summary>
public sealed record VncBackendVariables
{
    public string Host { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 5900;

    public string? Password { get; init; }

    public int XRes { get; init; } = 1024;

    public int YRes { get; init; } = 768;

    public static VncBackendVariables Parse(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var port = Text("VNC_PORT") is not null
            ? Integer("VNC_PORT", 1, 65535, "a TCP port")
            : Text("VNC") is not null
                ? 5900 + Integer("VNC", 0, 65535 - 5900, "a VNC display number")
                : throw new JobVariableException("VNC_PORT", null, "the generic VNC backend needs VNC_PORT or the display number VNC");
        return new VncBackendVariables
        {
            Host = Text("VNC_HOST") ?? "127.0.0.1",
            Port = port,
            // An empty password is no password: security type None.
            Password = Text("VNC_PASSWORD") ?? Text("PASSWORD"),
            XRes = Text("XRES") is null ? 1024 : Integer("XRES", 320, 8192, "a width in pixels"),
            YRes = Text("YRES") is null ? 768 : Integer("YRES", 200, 8192, "a height in pixels"),
        };

        string? Text(string name) =>
            variables.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        int Integer(string name, int min, int max, string what)
        {
            var value = Text(name)!;
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
            {
                throw new JobVariableException(name, value, $"expected {what} from {min} to {max}");
            }

            return number;
        }
    }
}
