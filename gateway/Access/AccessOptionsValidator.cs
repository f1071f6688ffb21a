using Microsoft.Extensions.Options;

namespace Vigil.Gateway.Access;

public sealed class AccessOptionsValidator : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var failures = new List<string>();
        var section = AccessOptions.SectionName;

        if (options.AdminKey is { } adminKey && adminKey.Trim().Length < AccessOptions.MinimumAdminKeyLength)
        {
            failures.Add($"{section}:AdminKey is shorter than {AccessOptions.MinimumAdminKeyLength} characters; use a long random value (or leave it unset).");
        }

        if (options.KeyCacheDuration <= TimeSpan.Zero || options.KeyCacheDuration > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{section}:KeyCacheDuration is {options.KeyCacheDuration}; it must be positive and at most one minute (it delays revocations).");
        }

        if (!options.RateLimit.IsValid)
        {
            failures.Add($"{section}:RateLimit needs Capacity >= 1 and RefillPerSecond > 0.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
