//! The shipped atlas (`assets/atlas.json`) is honest and reproducible: it is this version's
//! table, cell by cell with the current config texts; every judgement in it is what its runs
//! give; and two of its cells, run again here, give every number it holds.

use gatelab::experiment::atlas::Atlas;
use gatelab::experiment::files::atlas::{AtlasFile, CellResult};
use gatelab::experiment::plan::{run_here, Experiment};

const SHIPPED: &str = include_str!("../assets/atlas.json");

fn shipped() -> AtlasFile {
    AtlasFile::read(SHIPPED).unwrap_or_else(|e| panic!("assets/atlas.json: {e}")).1
}

/// A cell without its timings (training seconds differ run to run; nothing else may).
fn untimed(c: &CellResult) -> CellResult {
    let mut c = c.clone();
    c.seconds = 0.0;
    for r in c.stages.iter_mut().flatten() {
        r.seconds = 0.0;
    }
    c
}

#[test]
fn the_shipped_atlas_covers_every_cell_of_the_table_with_the_current_configs() {
    let f = shipped();
    let table = Atlas::all();
    assert_eq!(f.query, "atlas");
    assert_eq!(f.cells.len(), table.len());
    for (c, t) in f.cells.iter().zip(&table) {
        assert_eq!((c.id.as_str(), c.config.clone()), (t.id.as_str(), t.config.to_string()));
    }
    assert!(f.seconds > 0.0 && f.machine.contains("thread"), "{} s on {}", f.seconds, f.machine);
    assert_eq!(f.replicated[1], table.len());
}

#[test]
fn two_cells_run_again_give_every_number_the_atlas_holds() {
    let f = shipped();
    // The two cheapest cells, so the check stays short; both seed sets of each.
    let mut cheap: Vec<&CellResult> = f.cells.iter().collect();
    cheap.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let ids = format!("id={},{}", cheap[0].id, cheap[1].id);
    let atlas = Atlas::new(Some(&ids)).unwrap();
    let again = AtlasFile::new(&atlas, &run_here(&Experiment::Atlas(atlas.clone()), 2), String::new(), 0.0);
    for c in &again.cells {
        let old = f.cells.iter().find(|o| o.id == c.id).unwrap();
        assert_eq!(untimed(c), untimed(old), "cell {}", c.id);
    }
}

#[test]
fn a_tampered_or_foreign_atlas_is_refused_with_what_is_wrong() {
    let mut v: serde_json::Value = serde_json::from_str(SHIPPED).unwrap();
    v["cells"][0]["verdicts"][0]["p"] = serde_json::json!(0.001);
    let err = AtlasFile::read(&v.to_string()).unwrap_err();
    assert!(err.contains("not what its runs give"), "{err}");
    let mut v: serde_json::Value = serde_json::from_str(SHIPPED).unwrap();
    // A confirmation run's loss (a run's own numbers can only be checked by running it again,
    // as above; a changed number shows in the verdict it feeds).
    v["cells"][0]["stages"][2][0]["val_loss"] = serde_json::json!(123.0);
    let err = AtlasFile::read(&v.to_string()).unwrap_err();
    assert!(err.contains("not what its runs give"), "{err}");
    let mut v: serde_json::Value = serde_json::from_str(SHIPPED).unwrap();
    v["cells"][0]["stages"][0][0]["lr"] = serde_json::json!(0.5);
    let err = AtlasFile::read(&v.to_string()).unwrap_err();
    assert!(err.contains("does not match") || err.contains("run 1 is"), "{err}");
    let err = AtlasFile::read(r#"{"query": "task=adding", "trials": []}"#).unwrap_err();
    assert!(err.starts_with("not a Gatelab atlas.json"), "{err}");
    let err = AtlasFile::read("[1, 2").unwrap_err();
    assert!(err.starts_with("not a Gatelab atlas.json"), "{err}");
}

#[test]
fn every_line_the_readme_quotes_from_the_atlas_is_in_the_shipped_file() {
    let f = shipped();
    let readme = include_str!("../README.md");
    let section = readme.split("## The atlas").nth(1).expect("the README has an atlas section");
    let section = section.split("\n## ").next().unwrap_or(section);
    let quoted: Vec<&str> = section.lines().filter_map(|l| l.strip_prefix("> ")).collect();
    assert!(quoted.len() >= 5, "{quoted:?}");
    let readings = gatelab::readings::holding(&f);
    for q in quoted {
        assert!(
            f.says.iter().any(|s| s == q) || readings.contains(&q),
            "the README quotes {q:?}, which neither the atlas nor a reading that holds on it says"
        );
    }
}

#[test]
fn every_reading_of_the_map_holds_on_the_shipped_atlas() {
    let f = shipped();
    for r in &gatelab::readings::READINGS {
        assert!((r.holds)(&f), "{}", r.text);
    }
}

#[test]
fn an_atlas_says_its_arithmetic_and_its_runs_must_agree() {
    use gatelab::nn::arithmetic::Arithmetic;
    assert_eq!(shipped().arithmetic, Arithmetic::Exact);
    // Every run fused (as `gatelab atlas --fast` writes them) and the file saying so: read back.
    let mut v: serde_json::Value = serde_json::from_str(SHIPPED).unwrap();
    v["arithmetic"] = "fused".into();
    for cell in v["cells"].as_array_mut().unwrap() {
        for run in cell["stages"].as_array_mut().unwrap().iter_mut().flat_map(|s| s.as_array_mut().unwrap()) {
            run["arithmetic"] = "fused".into();
        }
    }
    let (_, f) = AtlasFile::read(&v.to_string()).unwrap();
    assert_eq!(f.arithmetic, Arithmetic::Fused);
    assert_eq!(AtlasFile::read(&serde_json::to_string(&f).unwrap()).unwrap().1, f, "it round-trips");
    v["cells"][0]["stages"][0][0]["arithmetic"] = "exact".into();
    assert!(AtlasFile::read(&v.to_string()).unwrap_err().contains("mixed"));
    let mut v: serde_json::Value = serde_json::from_str(SHIPPED).unwrap();
    v["arithmetic"] = "fused".into();
    assert!(AtlasFile::read(&v.to_string()).unwrap_err().contains("said to be fused but its runs are exact"));
}
