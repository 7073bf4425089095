using Impress.Fhir.Matching.Evaluation;
using Impress.Fhir.Testing;

namespace Impress.Fhir.Core.Tests.Matching;

/// <summary>The fast path a re-match takes decides every arm as the explained path does, on a synthetic population.</summary>
public sealed class DecideAgreesWithMatchTests
{
    [Fact]
    public void Decide_and_Match_agree_for_every_patient_and_arm()
    {
        var matcher = new Matcher(SyntheticMatching.Catalog(300));
        var patients = SyntheticMatching.Patients(300);
        var decided = new MatchResult[matcher.ArmCount];
        var counts = new Dictionary<MatchResult, int>();

        foreach (var patient in patients)
        {
            matcher.Decide(matcher.Prepare(patient), decided);
            var explained = matcher.Match(patient).ToDictionary(m => m.Arm.Id, m => m.Result);
            for (var i = 0; i < decided.Length; i++)
            {
                Assert.Equal(explained[matcher.Catalog.Arms[i].Id], decided[i]);
                counts[decided[i]] = counts.GetValueOrDefault(decided[i]) + 1;
            }
        }

        // The population exercises all three results, or the agreement would prove little.
        Assert.All(Enum.GetValues<MatchResult>(), r => Assert.True(counts.GetValueOrDefault(r) > 50, $"{r}: {counts.GetValueOrDefault(r)}"));
    }
}
