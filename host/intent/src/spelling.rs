//! "Did you mean …?": the closest known word to a misspelt one.

/// The candidate closest to `word`, if it is a likely typo: at most two edits away (one for
/// words of up to four characters), or a form of it with letters added or cut at the end
/// (`networking` → `network`, `resource` → `resources`).
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    let limit = if word.chars().count() <= 4 { 1 } else { 2 };
    let by_distance = candidates
        .iter()
        .map(|candidate| (edit_distance(&word, candidate), *candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate);
    let shares_stem = |candidate: &&str| {
        candidate.len() >= 3
            && word.len() >= 3
            && (word.starts_with(*candidate) || candidate.starts_with(&word))
    };
    by_distance.or_else(|| candidates.iter().copied().find(shares_stem))
}

/// Edit distance counting insertions, deletions, substitutions and swaps of two neighbouring
/// characters (the optimal string alignment distance), each as one edit.
fn edit_distance(left: &str, right: &str) -> usize {
    let left: Vec<char> = left.chars().collect();
    let right: Vec<char> = right.chars().collect();
    // distances[i][j]: distance between the first i characters of left and first j of right.
    let mut distances = vec![vec![0; right.len() + 1]; left.len() + 1];
    for (i, row) in distances.iter_mut().enumerate() {
        row[0] = i;
    }
    distances[0] = (0..=right.len()).collect();
    for i in 1..=left.len() {
        for j in 1..=right.len() {
            let cost = usize::from(left[i - 1] != right[j - 1]);
            let mut best = (distances[i - 1][j] + 1)
                .min(distances[i][j - 1] + 1)
                .min(distances[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && left[i - 1] == right[j - 2] && left[i - 2] == right[j - 1] {
                best = best.min(distances[i - 2][j - 2] + 1);
            }
            distances[i][j] = best;
        }
    }
    distances[left.len()][right.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("nmae", "name"), 1);
    }

    #[test]
    fn finds_likely_typos_only() {
        let tables = ["app", "http", "network", "resources", "build", "target"];
        assert_eq!(closest("htp", &tables), Some("http"));
        assert_eq!(closest("resource", &tables), Some("resources"));
        assert_eq!(closest("APP", &tables), Some("app"));
        assert_eq!(closest("networking", &tables), Some("network"));
        assert_eq!(closest("res", &tables), Some("resources"));
        assert_eq!(closest("database", &tables), None);
    }
}
