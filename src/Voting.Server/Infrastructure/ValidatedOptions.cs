using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Voting.Server.Infrastructure;

/// <summary>
/// Options bound from their configuration section and checked as the host starts: a value its
/// data annotations refuse stops start-up with a message naming the full key
/// ("The field Live:ResultsIntervalMs must be between 10 and 60000."), never the value, which may be a secret.
/// </summary>
public static class ValidatedOptions
{
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section) where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionAnnotations<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>A rule across fields: <paramref name="failure"/> says what is wrong (naming the keys), or null.</summary>
    public static OptionsBuilder<T> ValidateRule<T>(this OptionsBuilder<T> builder, Func<T, string?> failure) where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new Rule<T>(builder.Name, failure));
        return builder;
    }

    /// <summary>What a refused configuration says, when <paramref name="error"/> is one (the host reports several at once together); else null.</summary>
    public static IReadOnlyList<string>? FailuresOf(Exception error) => error switch
    {
        OptionsValidationException refused => [.. refused.Failures],
        AggregateException all when all.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. all.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)],
        _ => null,
    };

    private sealed class Rule<T>(string? name, Func<T, string?> failure) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options) =>
            optionsName != name ? ValidateOptionsResult.Skip
            : failure(options) is { } message ? ValidateOptionsResult.Fail(message)
            : ValidateOptionsResult.Success;
    }

    /// <summary>Each property's annotations, and those of nested options marked [ValidateObjectMembers], named by configuration key.</summary>
    private sealed class SectionAnnotations<T>(string section) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            if (name != Options.DefaultName) return ValidateOptionsResult.Skip;
            var failures = new List<string>();
            Collect(options, section, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static void Collect(object options, string prefix, List<string> failures)
        {
            foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length > 0) continue;
                var key = $"{prefix}:{property.Name}";
                var value = property.GetValue(options);
                var results = new List<ValidationResult>();
                var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = key };
                if (!Validator.TryValidateProperty(value, context, results))
                    failures.AddRange(results.Select(r => r.ErrorMessage ?? $"{key} is not valid"));
                if (value is not null && property.IsDefined(typeof(ValidateObjectMembersAttribute))) Collect(value, key, failures);
            }
        }
    }
}
