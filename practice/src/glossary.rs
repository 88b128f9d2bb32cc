//! The Danish words Stille uses for the programmes' terms, one form each, and
//! the calques it avoids. Checked over every Danish text of the catalog
//! (`tests/catalog.rs`) and of the app's UI strings (`app/src/i18n.rs`);
//! listed for writers in docs/CONTENT.md, "Danish words".

/// What a Danish text must not say, what to say instead, and why.
pub const AVOID: &[(&str, &str, &str)] = &[
    ("Selvmedfølende pause", "Selvmedfølelsespause", "one name for the Self-Compassion Break"),
    ("selvmedfølende pause", "selvmedfølelsespause", "one name for the Self-Compassion Break"),
    ("MBCT", "MBKT", "the programme's Danish name"),
    ("bodyscan", "kropsscanning", "the Danish word"),
    ("Bodyscan", "Kropsscanning", "the Danish word"),
    ("kærlighedsfuld venlighed", "kærlig venlighed", "the Danish term for loving-kindness"),
    ("kreativ respons", "nye måder at møde tingene på", "a calque of \"creative responding\""),
    ("eller at svare", "eller at handle bevidst", "\"svare\" is to answer, not to respond to a situation"),
    ("svare med", "møde med", "\"svare\" is to answer, not to respond to a feeling"),
    ("svare klogt", "handle klogt", "\"svare\" is to answer, not to respond to a situation"),
    ("Lad det dvæle", "Lad det blive hos dig", "a calque of \"let it linger\""),
    ("lade være", "lade tingene være, som de er", "\"lade være\" means to refrain"),
    ("automatpilot", "autopilot", "one form"),
    ("vejrtrækningspause", "åndehul", "MBKT's word for the breathing space"),
    ("åndedrætspause", "åndehul", "MBKT's word for the breathing space"),
    (
        "give dig selv lidt anerkendelse",
        "sende dig selv en venlig tanke",
        "a calque of \"give yourself credit\"",
    ),
];

/// Every place in `text` that strays from the glossary, as a sentence that
/// says what to write instead.
pub fn problems(text: &str) -> Vec<String> {
    let mut found: Vec<String> = AVOID
        .iter()
        .filter(|(avoid, _, _)| text.contains(avoid))
        .map(|(avoid, instead, why)| format!("\"{avoid}\": write \"{instead}\" ({why})"))
        .collect();
    // MSC's word is used as it is, marked as a loan word: »backdraft«.
    let bare = text.match_indices("backdraft").any(|(at, _)| !text[..at].ends_with('»'));
    if bare {
        found.push("\"backdraft\": write »backdraft« (the loan word, marked as one)".to_owned());
    }
    found
}

#[cfg(test)]
mod tests {
    use super::problems;

    #[test]
    fn strays_are_named_with_what_to_write() {
        assert_eq!(
            problems("Det kaldes »backdraft«, og den selvmedfølelsespause hjælper."),
            Vec::<String>::new()
        );
        assert_eq!(
            problems("Det kaldes backdraft."),
            ["\"backdraft\": write »backdraft« (the loan word, marked as one)"]
        );
        let found = problems("Perception og kreativ respons i MBCT");
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].contains("write \"MBKT\""), "{found:?}");
        // "lade det være" is fine; "lade være" (refrain) is not.
        assert!(problems("Du kan lade det være, som det er.").is_empty());
        assert_eq!(problems("At tillade og lade være").len(), 1);
    }
}
