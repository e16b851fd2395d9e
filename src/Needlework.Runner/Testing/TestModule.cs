using System.Text.RegularExpressions;
using Needlework.Imaging.Frames;
using Needlework.Runner.Backends;

namespace Needlework.Runner.Testing;

/// <summary>
/// A test module: one class per file under <c>CASEDIR/tests</c>, named after its file. Override
/// <see cref="Run"/> and call the test API below, which works like os-autoinst's testapi: every call is
/// synchronous, every timeout is in seconds and multiplied by <c>TIMEOUT_SCALE</c>, and every step
/// that looks at the screen is recorded in the module's results with its screenshot.
/// </summary>
/// <example>
/// <code>
/// public sealed class boot : TestModule
/// {
///     public override ModuleFlags Flags => ModuleFlags.Fatal;
///
///     public override void Run()
///     {
///         AssertScreen("grub-menu");
///         SendKey("c");
///         AssertScreen("grub-console");
///         EnterCmd("ls");
///         AssertScreen("grub-ls-output");
///     }
/// }
/// </code>
/// </example>
public abstract class TestModule
{
    private TestContext? _context;

    /// <summary>How a failure of this module affects the job (os-autoinst's test_flags). None by default.</summary>
    public virtual ModuleFlags Flags => ModuleFlags.None;

    /// <summary>The module's name as openQA shows it: its file name without <c>.cs</c>.</summary>
    public string Name { get; internal set; } = string.Empty;

    internal TestContext Context
    {
        get => _context ?? throw new InvalidOperationException("the test API is only available while the runner runs this module");
        set => _context = value;
    }

    /// <summary>The test steps.</summary>
    public abstract void Run();

    /// <summary>Runs after <see cref="Run"/> failed, to collect logs; its own failures are recorded but change nothing.</summary>
    public virtual void PostFailHook()
    {
    }

    /// <summary>
    /// Waits until a needle matching <paramref name="tags"/> (space-separated: a needle must have all of them) is on
    /// the screen, or fails the module after <paramref name="timeout"/> seconds (default 30).
    /// </summary>
    /// <returns>The match, with its needle's name, tags and click position.</returns>
    protected NeedleMatch AssertScreen(string tags, double timeout = 30) => AssertScreen([tags], timeout);

    /// <summary>Like <see cref="AssertScreen(string, double)"/>, where any of the <paramref name="alternatives"/> may match.</summary>
    protected NeedleMatch AssertScreen(IReadOnlyList<string> alternatives, double timeout = 30) =>
        ToMatch(Context.CheckOrAssert(alternatives, timeout, mustMatch: true)!);

    /// <summary>
    /// Looks for a needle matching <paramref name="tags"/> for up to <paramref name="timeout"/> seconds (default 0: one
    /// check of the current screen). Never fails the module.
    /// </summary>
    /// <returns>The match, or null.</returns>
    protected NeedleMatch? CheckScreen(string tags, double timeout = 0) => CheckScreen([tags], timeout);

    /// <summary>Like <see cref="CheckScreen(string, double)"/>, where any of the <paramref name="alternatives"/> may match.</summary>
    protected NeedleMatch? CheckScreen(IReadOnlyList<string> alternatives, double timeout = 0) =>
        Context.CheckOrAssert(alternatives, timeout, mustMatch: false) is { } match ? ToMatch(match) : null;

    /// <summary>True when the last matched needle has <paramref name="tag"/>.</summary>
    protected bool MatchHasTag(string tag) => Context.LastMatch?.Needle.HasTag(tag) ?? false;

    /// <summary>Asserts a needle, then clicks on its click point (or the centre of its last area).</summary>
    protected NeedleMatch AssertAndClick(string tags, double timeout = 30, MouseButton button = MouseButton.Left, bool doubleClick = false, bool mouseHide = false)
    {
        var match = AssertScreen(tags, timeout);
        ClickLastMatch(button, doubleClick, mouseHide);
        return match;
    }

    /// <summary>Clicks on the last matched needle's click point, then moves the pointer back (or hides it).</summary>
    protected void ClickLastMatch(MouseButton button = MouseButton.Left, bool doubleClick = false, bool mouseHide = false)
    {
        var match = Context.LastMatch ?? throw new TestFailedException("click_lastmatch: no needle matched yet");
        var previous = Context.MousePosition;
        var (x, y) = match.ClickPosition;
        MouseSet(x, y);
        Context.MouseClick(button, 0.15, doubleClick ? 2 : 1);
        Context.Sleep(TimeSpan.FromSeconds(1)); // no instant move after a click: it would become a drag
        if (previous.X >= 0 && previous.Y >= 0 && !mouseHide)
        {
            MouseSet(previous.X, previous.Y);
        }
        else
        {
            MouseHide();
        }
    }

    /// <summary>Presses a key or combination (<c>ret</c>, <c>esc</c>, <c>ctrl-alt-delete</c>), optionally waiting until the screen changes.</summary>
    protected void SendKey(string key, bool waitScreenChange = false)
    {
        if (waitScreenChange)
        {
            WaitScreenChange(() => Context.SendKey(key));
        }
        else
        {
            Context.SendKey(key);
        }
    }

    /// <summary>Presses <paramref name="key"/> until a needle matching <paramref name="tags"/> shows, at most <paramref name="counter"/> times (default 20).</summary>
    protected void SendKeyUntilNeedleMatch(string tags, string key, int counter = 20, double timeout = 1)
    {
        var wait = 0.0;
        while (CheckScreen(tags, wait) is null)
        {
            if (--counter <= 0)
            {
                AssertScreen(tags, timeout);
                return;
            }

            SendKey(key);
            wait = timeout;
        }
    }

    /// <summary>
    /// Types text with an en-us layout (<c>\n</c> presses return). <paramref name="maxInterval"/> limits the speed in keys
    /// per second (default 250: as fast as the SUT takes it); <paramref name="secret"/> keeps the text out of the logs.
    /// </summary>
    protected void TypeString(string text, int maxInterval = 250, bool secret = false, bool waitScreenChange = false, bool waitStillScreen = false)
    {
        if (waitScreenChange)
        {
            WaitScreenChange(() => Context.TypeString(text, maxInterval, secret));
        }
        else
        {
            Context.TypeString(text, maxInterval, secret);
        }

        if (waitStillScreen)
        {
            WaitStillScreen(1, 30);
        }
    }

    /// <summary>Types the password (by default the job variable PASSWORD) as a secret, at most 100 keys per second.</summary>
    protected void TypePassword(string? password = null, int maxInterval = 100) =>
        Context.TypeString(password ?? GetRequiredVar("PASSWORD"), maxInterval, secret: true);

    /// <summary>Types a command and presses return.</summary>
    protected void EnterCmd(string command, int maxInterval = 250) => TypeString(command + "\n", maxInterval);

    /// <summary>Runs <paramref name="action"/> and waits up to <paramref name="timeout"/> seconds (default 10) until the screen differs (PSNR below <paramref name="similarityLevel"/>, default 50).</summary>
    /// <returns>True when the screen changed in time.</returns>
    protected bool WaitScreenChange(Action action, double timeout = 10, double similarityLevel = FrameSimilarity.WaitScreenChangeLevel) =>
        Context.WaitScreenChange(action, timeout, similarityLevel);

    /// <summary>Waits until the screen stays the same (PSNR at or above <paramref name="similarityLevel"/>, default 47) for <paramref name="stillTime"/> seconds (default 7), at most <paramref name="timeout"/> seconds (default 30).</summary>
    protected bool WaitStillScreen(double stillTime = 7, double timeout = 30, double similarityLevel = FrameSimilarity.WaitStillScreenLevel) =>
        Context.WaitStillScreen(stillTime, timeout, similarityLevel);

    /// <summary>Moves the pointer to a screen position.</summary>
    protected void MouseSet(int x, int y) => Context.MouseSet(x, y);

    /// <summary>Clicks a button where the pointer is, holding it <paramref name="clickTime"/> seconds.</summary>
    protected void MouseClick(MouseButton button = MouseButton.Left, double clickTime = 0.15) => Context.MouseClick(button, clickTime, 1);

    /// <summary>Double-clicks a button where the pointer is.</summary>
    protected void MouseDoubleClick(MouseButton button = MouseButton.Left, double clickTime = 0.10) => Context.MouseClick(button, clickTime, 2);

    /// <summary>Moves the pointer to the bottom-right corner, out of the way of needles.</summary>
    protected void MouseHide(int borderOffset = 0)
    {
        var xres = (int)Context.Variables.GetNumber("XRES", 1024);
        var yres = (int)Context.Variables.GetNumber("YRES", 768);
        MouseSet(xres - 1 - borderOffset, yres - 1 - borderOffset);
    }

    /// <summary>Presses a button at one position, moves to another and releases it there.</summary>
    protected void MouseDrag(int startX, int startY, int endX, int endY, MouseButton button = MouseButton.Left) =>
        Context.MouseDrag(startX, startY, endX, endY, button);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> seconds (default 90) for <paramref name="regex"/> in the serial output written since
    /// the last match; records the outcome as a step. With <paramref name="expectNotFound"/> the step passes when it does not appear.
    /// </summary>
    /// <returns>The matched text, or null.</returns>
    protected string? WaitSerial(string regex, double timeout = 90, bool expectNotFound = false) =>
        Context.WaitSerial(new Regex(regex, RegexOptions.CultureInvariant), timeout, expectNotFound, record: true);

    /// <summary>
    /// Types <paramref name="command"/> into a shell on the SUT and waits up to <paramref name="timeout"/> seconds (default 30) for its
    /// exit code, which a marker carries over the serial line (SERIALDEV, default ttyS0).
    /// </summary>
    /// <returns>The exit code, or null when the command did not finish in time.</returns>
    protected int? ScriptRun(string command, double timeout = 30) =>
        Context.ScriptRun(command, timeout, SerialDevice);

    /// <summary>Like <see cref="ScriptRun"/>, failing the module unless the command exits 0 within <paramref name="timeout"/> seconds (default 90).</summary>
    protected void AssertScriptRun(string command, double timeout = 90, string? failMessage = null)
    {
        var code = ScriptRun(command, timeout);
        if (code is null)
        {
            throw new TestFailedException($"command '{command}' timed out" + (failMessage is null ? string.Empty : $": {failMessage}"));
        }

        if (code != 0)
        {
            throw new TestFailedException($"command '{command}' failed at exit code {code}" + (failMessage is null ? string.Empty : $": {failMessage}"));
        }
    }

    /// <summary>Adds a titled text step to the results (result ok, softfail or fail; a fail does not fail the module).</summary>
    protected void RecordInfo(string title, string output = "", string result = "ok") =>
        Context.Module!.RecordText(title, output, result);

    /// <summary>Records a known issue: the module becomes soft-failed and the reason is shown.</summary>
    protected void RecordSoftFailure(string reason) => Context.Module!.RecordSoftFailure(reason);

    /// <summary>Adds the current screen to the results.</summary>
    protected void SaveScreenshot() => Context.SaveScreenshot();

    /// <summary>A job variable, or <paramref name="fallback"/> when it is not set.</summary>
    protected string? GetVar(string name, string? fallback = null) => Context.Variables.Get(name) ?? fallback;

    /// <summary>A job variable that must be set; fails the module otherwise.</summary>
    protected string GetRequiredVar(string name) =>
        Context.Variables.Get(name) ?? throw new TestFailedException($"Could not retrieve required variable {name}");

    /// <summary>Sets (or with null removes) a job variable for the modules that follow; saved in vars.json.</summary>
    protected void SetVar(string name, string? value) => Context.Variables.Set(name, value);

    /// <summary>True when the variable is set to exactly <paramref name="value"/>.</summary>
    protected bool CheckVar(string name, string value) => Context.Variables.Get(name) == value;

    /// <summary>Power buttons: <c>off</c> (pull the plug), <c>acpi</c> (press the power button), <c>reset</c>.</summary>
    protected void Power(string action) => Context.Power(action switch
    {
        "off" => PowerAction.Off,
        "acpi" => PowerAction.AcpiPowerDown,
        "reset" => PowerAction.Reset,
        _ => throw new ArgumentException($"unknown power action '{action}' (off, acpi or reset)", nameof(action)),
    });

    /// <summary>Waits up to <paramref name="timeout"/> seconds (default 60) until the SUT has shut down; fails the module otherwise.</summary>
    protected void AssertShutdown(double timeout = 60)
    {
        if (!Context.WaitShutdown(timeout))
        {
            throw new TestFailedException($"Machine didn't shut down within {timeout} s");
        }
    }

    /// <summary>
    /// Copies a file from the SUT into the job's uploaded logs (<c>ulogs/</c>), sent as text over the serial line from a
    /// shell on the SUT. With <paramref name="failOk"/> a failure is a soft failure.
    /// </summary>
    protected void UploadLogs(string file, bool failOk = false, double timeout = 90) =>
        Context.UploadLogs(file, timeout, SerialDevice, failOk);

    /// <summary>Pauses the test for <paramref name="seconds"/> (not scaled); the job can still be stopped meanwhile.</summary>
    protected void Wait(double seconds) => Context.Sleep(TimeSpan.FromSeconds(seconds));

    private string SerialDevice => Context.Variables.Get("SERIALDEV", "ttyS0");

    private static NeedleMatch ToMatch(Imaging.Needles.NeedleCandidate candidate)
    {
        var (x, y) = candidate.ClickPosition;
        var similarity = 1.0;
        foreach (var area in candidate.Areas)
        {
            similarity = Math.Min(similarity, area.Similarity);
        }

        return new NeedleMatch(candidate.Needle.Name, candidate.Needle.Tags, x, y, similarity);
    }
}
