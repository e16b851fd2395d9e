namespace Needlework.Runner.Tests.Results;

public sealed class SecureRandomTextTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(14)]
    [InlineData(16)]
    [InlineData(29)]
    public void Gives_lower_case_hex_of_the_asked_length_and_never_the_same_twice(int bytes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 200; i++)
        {
            var text = SecureRandomText.Hex(bytes);
            Assert.Equal(2 * bytes, text.Length);
            Assert.Matches("^[0-9a-f]+$", text);
            seen.Add(text);
        }

        // 200 draws of a single byte repeat by chance; of four or more, never in practice.
        Assert.True(bytes == 1 ? seen.Count > 100 : seen.Count == 200);
    }

    [Fact]
    public void The_guids_fixed_version_and_variant_bits_do_not_show()
    {
        // A GUID's version nibble is always 4 and its variant byte starts with binary 10: were either copied,
        // some hex digit of the output would take fewer than 16 values over 400 draws.
        var draws = Enumerable.Range(0, 400).Select(_ => SecureRandomText.Hex(14)).ToList();
        for (var position = 0; position < 28; position++)
        {
            Assert.Equal(16, draws.Select(d => d[position]).Distinct().Count());
        }
    }
}
