using System.Collections.Frozen;

namespace Needlework.Vnc.Input;

/// <summary>
/// Turns os-autoinst style key names (<c>ret</c>, <c>esc</c>, <c>ctrl-alt-delete</c>, <c>f2</c>, <c>a</c>, <c>A</c>)
/// and text into X11 keysyms for an en-us keyboard. Upper-case letters and shifted symbols are sent with
/// shift held, because servers that translate keysyms to scancodes (QEMU) need the modifier to be down.
/// </summary>
public static class KeyMapper
{
    public const uint Shift = 0xffe1;
    public const uint Control = 0xffe3;
    public const uint Alt = 0xffe9;
    public const uint Super = 0xffeb;
    public const uint Return = 0xff0d;

    private const string ShiftedSymbols = "~!@#$%^&*()_+{}|:\"<>?";

    private static readonly FrozenDictionary<string, uint> Named = BuildNames();

    /// <summary>Maps a key or a combination such as <c>ctrl-alt-delete</c> or <c>shift-tab</c>.</summary>
    /// <exception cref="ArgumentException">A part is neither a known key name nor a single character.</exception>
    public static KeyCombo Map(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var keysyms = new List<uint>(4);
        foreach (var part in SplitCombo(key))
        {
            uint keysym;
            if (part.Length == 1)
            {
                keysym = CharacterKeysym(part[0]);
                if (NeedsShift(part[0]) && !keysyms.Contains(Shift))
                {
                    keysyms.Add(Shift);
                }
            }
            else if (!Named.TryGetValue(part.ToLowerInvariant(), out keysym))
            {
                throw new ArgumentException($"unknown key name \"{part}\" in \"{key}\"", nameof(key));
            }

            keysyms.Add(keysym);
        }

        return new KeyCombo(keysyms);
    }

    /// <summary>One combination per character of <paramref name="text"/>; newline is Return, tab is Tab.</summary>
    public static IReadOnlyList<KeyCombo> MapText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var combos = new List<KeyCombo>(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            combos.Add(rune.Value switch
            {
                '\n' or '\r' => new KeyCombo([Return]),
                '\t' => new KeyCombo([Named["tab"]]),
                '\b' => new KeyCombo([Named["backspace"]]),
                0x1b => new KeyCombo([Named["esc"]]),
                < 0x10000 when NeedsShift((char)rune.Value) => new KeyCombo([Shift, (uint)rune.Value]),
                _ => new KeyCombo([RuneKeysym(rune)]),
            });
        }

        return combos;
    }

    /// <summary>Looks up a single named key (case-insensitive), e.g. <c>pgup</c> or <c>f12</c>.</summary>
    public static bool TryGetKeysym(string name, out uint keysym) => Named.TryGetValue(name.ToLowerInvariant(), out keysym);

    public static bool NeedsShift(char character) => character is >= 'A' and <= 'Z' || ShiftedSymbols.Contains(character);

    /// <summary>Latin-1 characters are their own keysyms; other Unicode characters use 0x01000000 + code point.</summary>
    private static uint CharacterKeysym(char character) => character switch
    {
        ' ' => ' ',
        < ' ' or (>= (char)0x7f and < (char)0xa0) => throw new ArgumentException($"control character 0x{(int)character:x2} has no key; use its name"),
        <= (char)0xff => character,
        _ => 0x01000000u + character,
    };

    private static uint RuneKeysym(System.Text.Rune rune) =>
        rune.Value <= 0xff ? CharacterKeysym((char)rune.Value) : 0x01000000u + (uint)rune.Value;

    /// <summary>Splits on '-', where a '-' that cannot be a separator (as in <c>ctrl--</c> or <c>-</c>) is the minus key.</summary>
    private static List<string> SplitCombo(string key)
    {
        var parts = new List<string>(4);
        var i = 0;
        while (i < key.Length)
        {
            var dash = key.IndexOf('-', i);
            if (dash == i)
            {
                parts.Add("-");
                i++;
            }
            else if (dash < 0)
            {
                parts.Add(key[i..]);
                break;
            }
            else
            {
                parts.Add(key[i..dash]);
                i = dash;
            }

            if (i < key.Length && key[i] == '-' && i + 1 < key.Length)
            {
                i++; // the separator
            }
        }

        return parts;
    }

    private static FrozenDictionary<string, uint> BuildNames()
    {
        var names = new Dictionary<string, uint>
        {
            ["esc"] = 0xff1b,
            ["escape"] = 0xff1b,
            ["ret"] = Return,
            ["enter"] = Return,
            ["return"] = Return,
            ["tab"] = 0xff09,
            ["backspace"] = 0xff08,
            ["delete"] = 0xffff,
            ["del"] = 0xffff,
            ["insert"] = 0xff63,
            ["home"] = 0xff50,
            ["end"] = 0xff57,
            ["pgup"] = 0xff55,
            ["pageup"] = 0xff55,
            ["pgdn"] = 0xff56,
            ["pagedown"] = 0xff56,
            ["up"] = 0xff52,
            ["down"] = 0xff54,
            ["left"] = 0xff51,
            ["right"] = 0xff53,
            ["spc"] = ' ',
            ["space"] = ' ',
            ["minus"] = '-',
            ["equal"] = '=',
            ["shift"] = Shift,
            ["ctrl"] = Control,
            ["alt"] = Alt,
            ["altgr"] = 0xfe03,
            ["super"] = Super,
            ["win"] = Super,
            ["meta"] = 0xffe7,
            ["caps"] = 0xffe5,
            ["menu"] = 0xff67,
            ["sysrq"] = 0xff61,
            ["print"] = 0xff61,
            ["pause"] = 0xff13,
            ["scrolllock"] = 0xff14,
            ["numlock"] = 0xff7f,
            ["kp_enter"] = 0xff8d,
        };
        for (var n = 1; n <= 12; n++)
        {
            names[$"f{n}"] = 0xffbeu + (uint)(n - 1);
        }

        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
