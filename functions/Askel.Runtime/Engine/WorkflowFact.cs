using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Askel.Runtime.Definitions;

namespace Askel.Runtime.Engine;

/// <summary>
/// Something a transition establishes about the participant, for the app to record once the step has committed:
/// data flows one way, from the step function to the summary, and sending a message only sends.
/// </summary>
/// <param name="InstanceId">The instance it is about.</param>
/// <param name="Kind">What it says.</param>
/// <param name="Step">The step that produced it.</param>
/// <param name="Form">For <see cref="FactKind.FormAsked"/>: the Askel form asked for, when the step is an ask step.</param>
/// <param name="Reports">For <see cref="FactKind.FormAsked"/>: what the step declares it reports (an external or task step).</param>
/// <param name="LeftOn">For <see cref="FactKind.Left"/>: the leaving date told.</param>
public sealed record WorkflowFact(string InstanceId, FactKind Kind, string? Step, string? Form = null, ReportedForm? Reports = null, DateOnly? LeftOn = null)
{
    /// <summary>The event that tells an instance its participant left (with <c>leftOn</c>, <c>yyyy-MM-dd</c>).</summary>
    public const string LeftEvent = "left";

    /// <summary>What a <see cref="LeftEvent"/> carries.</summary>
    public static JsonObject LeftPayload(DateOnly leftOn) => new() { ["leftOn"] = leftOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };

    /// <summary>The date a <see cref="LeftEvent"/>'s payload carries, when it carries a valid one.</summary>
    public static DateOnly? LeftOnOf(JsonNode? payload) =>
        payload?["leftOn"] is JsonValue value && value.TryGetValue<string>(out var text)
        && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : null;
}

/// <summary>What a <see cref="WorkflowFact"/> says.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FactKind>))]
public enum FactKind
{
    /// <summary>A step began asking for a form (an ask step's form, or a form kept elsewhere): it is due from now on.</summary>
    FormAsked,

    /// <summary>The participant was told to have left the project.</summary>
    Left,
}
