using System.Collections.Frozen;

namespace Needlework.Runner.Backends.Qemu;

/// <summary>
/// os-autoinst key names and en-us characters as QEMU qcodes (the names QMP <c>send-key</c> takes).
/// Most os-autoinst names already are qcodes; the rest are aliases.
/// </summary>
public static class QemuKeys
{
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>
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
    }.ToFrozenDictionary();

    private static readonly FrozenSet<string> Qcodes = new[]
    {
        "shift", "shift_r", "alt", "alt_r", "ctrl", "ctrl_r", "meta_l", "meta_r", "menu", "esc", "tab", "ret",
        "backspace", "delete", "insert", "home", "end", "pgup", "pgdn", "up", "down", "left", "right", "spc",
        "minus", "equal", "bracket_left", "bracket_right", "backslash", "semicolon", "apostrophe", "grave_accent",
        "comma", "dot", "slash", "caps_lock", "num_lock", "scroll_lock", "print", "sysrq", "pause", "less",
        "kp_divide", "kp_multiply", "kp_subtract", "kp_add", "kp_enter", "kp_decimal", "kp_equals",
        "kp_0", "kp_1", "kp_2", "kp_3", "kp_4", "kp_5", "kp_6", "kp_7", "kp_8", "kp_9",
        "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
        "power", "sleep", "wake", "audionext", "audioprev", "audiostop", "audioplay", "audiomute", "volumeup", "volumedown",
    }.ToFrozenSet();

    // en-us: the key that makes a symbol, and whether shift is held.
    private static readonly FrozenDictionary<char, (string Key, bool Shift)> Symbols = new Dictionary<char, (string, bool)>
    {
        [' '] = ("spc", false), ['\n'] = ("ret", false), ['\t'] = ("tab", false), ['\b'] = ("backspace", false), ['\u001b'] = ("esc", false),
        ['-'] = ("minus", false), ['='] = ("equal", false), ['['] = ("bracket_left", false), [']'] = ("bracket_right", false),
        ['\\'] = ("backslash", false), [';'] = ("semicolon", false), ['\''] = ("apostrophe", false), ['`'] = ("grave_accent", false),
        [','] = ("comma", false), ['.'] = ("dot", false), ['/'] = ("slash", false),
        ['!'] = ("1", true), ['@'] = ("2", true), ['#'] = ("3", true), ['$'] = ("4", true), ['%'] = ("5", true),
        ['^'] = ("6", true), ['&'] = ("7", true), ['*'] = ("8", true), ['('] = ("9", true), [')'] = ("0", true),
        ['_'] = ("minus", true), ['+'] = ("equal", true), ['{'] = ("bracket_left", true), ['}'] = ("bracket_right", true),
        ['|'] = ("backslash", true), [':'] = ("semicolon", true), ['"'] = ("apostrophe", true), ['~'] = ("grave_accent", true),
        ['<'] = ("comma", true), ['>'] = ("dot", true), ['?'] = ("slash", true),
    }.ToFrozenDictionary();

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
            name = Aliases.GetValueOrDefault(name, name);
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

        if (Symbols.TryGetValue(c, out var symbol))
        {
            return symbol.Shift ? ["shift", symbol.Key] : [symbol.Key];
        }

        throw new ArgumentException($"character U+{(int)c:X4} cannot be typed on an en-us keyboard", nameof(c));
    }
}
