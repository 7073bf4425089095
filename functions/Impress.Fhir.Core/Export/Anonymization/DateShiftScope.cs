namespace Impress.Fhir.Export.Anonymization;

/// <summary>Which dates are moved by the same number of days (the <c>dateShiftScope</c> parameter).</summary>
public enum DateShiftScope
{
    /// <summary>Each resource has its own shift, derived from its id.</summary>
    Resource,

    /// <summary>
    /// One shift for everything an <see cref="Anonymizer"/> processes. Microsoft's tool shifts per input file; an export
    /// writes one file per resource type, and shifting those apart would break every interval between types.
    /// </summary>
    File,

    /// <summary>One shift for everything an <see cref="Anonymizer"/> processes: an export is one folder.</summary>
    Folder,

    /// <summary>
    /// Not in Microsoft's format: one shift per patient, derived from <see cref="AnonymizationSubject.PatientId"/>, so all of
    /// a patient's resources move together and every interval in their history (diagnosis to report, treatment to week 16)
    /// is kept, while two patients' dates move apart. A resource of no patient shifts by its own id.
    /// </summary>
    Patient,
}
