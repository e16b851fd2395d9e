namespace Needlework.Web.Data;

/// <summary>An API key and secret (openQA's api_keys): writing through the API needs one.</summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    public string Key { get; set; } = string.Empty;

    public string Secret { get; set; } = string.Empty;

    public string User { get; set; } = string.Empty;

    public DateTimeOffset? TExpiration { get; set; }

    public DateTimeOffset TCreated { get; set; }
}
