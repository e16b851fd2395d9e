namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// os-autoinst key names and en-us characters as QEMU qcodes (the names QMP <c>send-key</c> takes).
/// Most os-autoinst names already are qcodes; the rest are aliases.
/// </summary>
public static class QemuKeys
{
    // Plain collections of strings, not frozen ones: building a frozen set analyses its keys, and a table keyed by
    // char is generic code over a value type that ReadyToRun cannot precompile; both cost every job's start.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["enter"] = "ret",
        ["return"] = "ret",
        ["space"] = "spc",
        ["caps"] = "caps_lock",
        ["super"] = "meta_l",
        ["meta"] = "meta_l",
        ["win"] = "meta_l",
        ["pageup"] = "pgup",
        ["pagedown"] = "pgdn",
        ["del"] = "delete",
        ["ins"] = "insert",
        ["altgr"] = "alt_r",
        ["grave"] = "grave_accent",
        ["bracketleft"] = "bracket_left",
        ["bracketright"] = "bracket_right",
        ["numlock"] = "num_lock",
        ["scrolllock"] = "scroll_lock",
        ["printscreen"] = "print",
    };

    private static readonly HashSet<string> Qcodes = new(StringComparer.Ordinal)
    {
        "shift", "shift_r", "alt", "alt_r", "ctrl", "ctrl_r", "meta_l", "meta_r", "menu", "esc", "tab", "ret",
        "backspace", "delete", "insert", "home", "end", "pgup", "pgdn", "up", "down", "left", "right", "spc",
        "minus", "equal", "bracket_left", "bracket_right", "backslash", "semicolon", "apostrophe", "grave_accent",
        "comma", "dot", "slash", "caps_lock", "num_lock", "scroll_lock", "print", "sysrq", "pause", "less",
        "kp_divide", "kp_multiply", "kp_subtract", "kp_add", "kp_enter", "kp_decimal", "kp_equals",
        "kp_0", "kp_1", "kp_2", "kp_3", "kp_4", "kp_5", "kp_6", "kp_7", "kp_8", "kp_9",
        "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
        "power", "sleep", "wake", "audionext", "audioprev", "audiostop", "audioplay", "audiomute", "volumeup", "volumedown",
    };

    // en-us symbols: the n-th character is typed by the n-th key, without shift and with it.
    private const string PlainSymbols = " \n\t\b\u001b-=[]\\;'`,./";
    private static readonly string[] PlainSymbolKeys =
    [
        "spc", "ret", "tab", "backspace", "esc", "minus", "equal", "bracket_left", "bracket_right", "backslash", "semicolon",
        "apostrophe", "grave_accent", "comma", "dot", "slash",
    ];

    private const string ShiftedSymbols = "!@#$%^&*()_+{}|:\"~<>?";
    private static readonly string[] ShiftedSymbolKeys =
    [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "minus", "equal", "bracket_left", "bracket_right", "backslash",
        "semicolon", "apostrophe", "grave_accent", "comma", "dot", "slash",
    ];

    /// <summary>
    /// The qcodes of a key or combination such as <c>ret</c>, <c>ctrl-alt-delete</c> or <c>shift-tab</c>, in press order.
    /// A '-' key is written <c>minus</c>, as in os-autoinst.
    /// </summary>
    public static IReadOnlyList<string> ForCombination(string combination)
    {
        ArgumentException.ThrowIfNullOrEmpty(combination);
        var keys = new List<string>();
        foreach (var part in combination.Split('-'))
        {
            if (part.Length == 0)
            {
                throw new ArgumentException($"key combination '{combination}' has an empty part; write '-' as 'minus'", nameof(combination));
            }

            if (part.Length == 1)
            {
                // A single character: the key that types it, with shift for upper case and shifted symbols.
                foreach (var key in ForCharacter(part[0]))
                {
                    if (!keys.Contains(key))
                    {
                        keys.Insert(key == "shift" ? 0 : keys.Count, key);
                    }
                }

                continue;
            }

            var name = part.ToLowerInvariant();
            name = Aliases.TryGetValue(name, out var qcode) ? qcode : name;
            if (!Qcodes.Contains(name))
            {
                throw new ArgumentException($"unknown key '{part}' in '{combination}'", nameof(combination));
            }

            keys.Add(name);
        }

        return keys;
    }

    /// <summary>The qcodes that type one character on an en-us keyboard: shift first when needed.</summary>
    public static IReadOnlyList<string> ForCharacter(char c)
    {
        if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
        {
            return [c.ToString()];
        }

        if (c is >= 'A' and <= 'Z')
        {
            return ["shift", char.ToLowerInvariant(c).ToString()];
        }

        if (PlainSymbols.IndexOf(c, StringComparison.Ordinal) is var plain and >= 0)
        {
            return [PlainSymbolKeys[plain]];
        }

        if (ShiftedSymbols.IndexOf(c, StringComparison.Ordinal) is var shifted and >= 0)
        {
            return ["shift", ShiftedSymbolKeys[shifted]];
        }

        throw new ArgumentException($"character U+{(int)c:X4} cannot be typed on an en-us keyboard", nameof(c));
    }
}
