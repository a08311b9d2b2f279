//! The parsers on the shared data sets and on hostile files.

use super::*;

fn file(name: &str, text: &str) -> File {
    File { name: name.into(), bytes: text.as_bytes().to_vec() }
}

fn shared(name: &str) -> File {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    File { name: name.into(), bytes: std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")) }
}

#[test]
fn the_archive_sets_read_as_published() {
    let Dataset::Labelled(gp) = read(&[shared("GunPoint_TRAIN.ts"), shared("GunPoint_TEST.ts")]).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (gp.train.len(), gp.test.len(), gp.dims, gp.classes.clone()),
        (50, 150, 1, vec!["1".to_string(), "2".into()])
    );
    assert!(gp.train.iter().chain(&gp.test).all(|c| c.steps() == 150));
    let Dataset::Labelled(bm) =
        read(&[shared("BasicMotions_TEST.ts"), shared("BasicMotions_TRAIN.ts")]).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (bm.train.len(), bm.test.len(), bm.dims, bm.classes.len()),
        (40, 40, 6, 4),
        "TRAIN by its name, whatever the order"
    );
    assert_eq!(bm.classes, vec!["Standing", "Running", "Walking", "Badminton"], "@classLabel's order");
    let Dataset::Table(air) = read(&[shared("Airline.csv")]).unwrap() else { panic!() };
    assert_eq!((air.rows, air.columns[0].values.is_some(), air.default_column()), (144, false, Some(1)));
    let Dataset::Table(sun) = read(&[shared("sunspots.csv")]).unwrap() else { panic!() };
    assert_eq!((sun.rows, sun.columns[1].name.as_str(), sun.default_column()), (309, "SUNACTIVITY", Some(1)));
}

#[test]
fn the_ucr_tsv_format_with_padding_and_the_ts_format_with_gaps() {
    let Dataset::Labelled(u) =
        read(&[file("x_TRAIN.tsv", "1\t0.5\t1.5\tNaN\n2\t1\tNaN\t3\n1\t2\t2\t2\n")]).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        u.train.iter().map(Case::steps).collect::<Vec<_>>(),
        vec![2, 3, 3],
        "trailing NaN ends a series"
    );
    assert_eq!((u.train[1].series[0][1], u.filled), (2.0, 1), "a gap inside is interpolated");
    let ts = "# c\n@problemName x\n@missing true\n@classLabel true a b\n@data\n1,?,3:4,5,6:a\n1,2:3,?:b\n";
    let Dataset::Labelled(t) = read(&[file("x.ts", ts)]).unwrap() else { panic!() };
    assert_eq!(
        (t.dims, t.filled, t.train[0].series[0].clone(), t.train[1].series[1].clone()),
        (2, 2, vec![1.0, 2.0, 3.0], vec![3.0, 3.0])
    );
}

#[test]
fn a_ts_file_without_a_class_label_list_numbers_its_labels_as_they_come() {
    // `@classLabel true` with no labels after it: each new label is a new class (this
    // refused the second distinct label before).
    let ts = "@classLabel true\n@data\n1,2:a\n3,4:b\n5,6:a\n7,8:c\n";
    let Dataset::Labelled(t) = read(&[file("x.ts", ts)]).unwrap() else { panic!() };
    assert_eq!(t.classes, ["a", "b", "c"]);
    assert_eq!(t.train.iter().map(|c| c.label).collect::<Vec<_>>(), [0, 1, 0, 2]);
    // No @classLabel line at all: the same.
    let Dataset::Labelled(t) = read(&[file("y.ts", "@data\n1,2:p\n3,4:q\n")]).unwrap() else { panic!() };
    assert_eq!(t.classes, ["p", "q"]);
}

#[test]
fn csv_takes_semicolons_quotes_crlf_a_bom_and_every_missing_marker() {
    let text = "\u{feff}\"Date\";\"Val, with comma\";\"x\"\r\n2001;1,5;NA\r\n2002;;?\r\n2003;3;NaN\r\n";
    let Dataset::Table(t) = read(&[file("d.csv", text)]).unwrap() else { panic!() };
    assert_eq!(
        t.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        vec!["Date", "Val, with comma", "x"]
    );
    assert_eq!(t.columns[0].values.as_ref().unwrap(), &vec![2001.0, 2002.0, 2003.0]);
    assert!(t.columns[1].values.is_none(), "1,5 is not a number with ';' between cells");
    assert_eq!((t.columns[2].missing, t.rows), (3, 3));
    assert!(t.column("d.csv", "x").unwrap_err().contains("no value at all"));
    assert_eq!(t.column("d.csv", "1").unwrap(), 0);
}

#[test]
fn a_csv_written_by_pandas_reads_as_its_user_expects_and_says_what_it_assumed() {
    // `DataFrame.to_csv()`: an unnamed index column counting 0, 1, 2, ...
    let Dataset::Table(t) = read(&[file("p.csv", ",0\n0,1.5\n1,2.5\n2,3\n")]).unwrap() else { panic!() };
    assert_eq!(t.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["0"]);
    assert_eq!(t.columns[0].values.as_ref().unwrap(), &vec![1.5, 2.5, 3.0]);
    assert!(t.notes[0].contains("row index"), "{:?}", t.notes);
    // An empty header cell elsewhere is named by its number, and said.
    let Dataset::Table(t) = read(&[file("q.csv", "a,,c\n1,2,3\n4,5,6\n")]).unwrap() else { panic!() };
    assert_eq!(t.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["a", "column 2", "c"]);
    assert_eq!(t.notes, ["column 2 has no name in the header row: called \"column 2\""]);
    // An unnamed first column that is not 0, 1, 2, ... stays, named.
    let Dataset::Table(t) = read(&[file("r.csv", ",y\n5,1\n7,2\n")]).unwrap() else { panic!() };
    assert_eq!(t.columns[0].name, "column 1");
}

#[test]
fn hostile_files_are_refused_with_the_problem_named() {
    let bad = |files: &[File], part: &str| {
        let e = read(files).unwrap_err();
        assert!(e.contains(part), "{part:?} not in {e:?}");
    };
    bad(&[file("e.csv", "")], "empty");
    bad(&[file("e.csv", "   \n\n")], "empty");
    bad(&[file("r.csv", "a,b\n1,2\n3\n")], "line 3: 1 cells; the header has 2");
    bad(
        &[file("n.ts", "@classLabel true a b\n@data\n1,2,x:a\n")],
        "line 3: dimension 1, value 3: \"x\" is not a number",
    );
    bad(&[file("n.tsv", "1\t2\tzz\n")], "line 1: column 3: \"zz\" is not a number");
    bad(
        &[
            file("l_TRAIN.ts", "@classLabel true a b\n@data\n1,2:a\n"),
            file("l_TEST.ts", "@classLabel true a c\n@data\n1,2:c\n"),
        ],
        "\"c\" never appears in TRAIN",
    );
    bad(&[file("u.ts", "@classLabel true a\n@data\n1,2:z\n")], "not one of @classLabel's");
    bad(&[file("m.ts", "@classLabel true a\n@data\n?,?:a\n")], "no value at all");
    bad(&[file("t.ts", "@timeStamps true\n@data\n")], "time stamps");
    bad(
        &[file("d.ts", "@classLabel true a\n@data\n1,2:3,4:a\n1,2:a\n")],
        "1 dimensions; the first case has 2",
    );
    bad(&[File { name: "bin.txt".into(), bytes: vec![b'a', 0xff, 0xfe, b'b'] }], "not UTF-8 text: byte 2");
    bad(&[file("a.csv", "x\n1\n"), file("b.ts", "@data\n")], "not of one format");
    bad(&[file("x.ts", "@problemName x\n")], "no @data");
    bad(&[file("a.txt", "ab")], "at least 100");
}

#[test]
fn fingerprints_name_a_file_by_its_bytes() {
    let r = DataRef::of(&file("dir/a b,c.csv", "x\n1\n"));
    assert_eq!((r.name.as_str(), r.bytes), ("a b_c.csv", 4));
    assert_eq!(DataRef::parse(&r.text()).unwrap().sha256, r.sha256);
    // sha256 of "x\n1\n", by `sha256sum`.
    assert_eq!(r.hex(), "daff832f802000e645771a60983c76c963f6ee602a6230e45237bd360e91cc1a");
    assert!(DataRef::parse("a.csv@sha256:12").is_err());
    assert!(DataRef::parse("@sha256:".to_string().as_str()).is_err());
}

#[test]
fn filling_interpolates_inside_and_extends_the_ends() {
    let mut v = vec![f64::NAN, 1.0, f64::NAN, f64::NAN, 4.0, f64::NAN];
    assert_eq!(fill(&mut v), Some(4));
    assert_eq!(v, vec![1.0, 1.0, 2.0, 3.0, 4.0, 4.0]);
    assert_eq!(fill(&mut [f64::NAN, f64::NAN]), None);
}

#[test]
fn a_wide_year_by_month_table_reads_as_one_monthly_series_in_time_order() {
    let text = "Year,Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec\n\
                1950,1,2,3,4,5,6,7,8,9,10,11,12\n\
                1951,13,14,15,16,NA,18,19,20,21,22,23,24\n";
    let t = csv::parse("elnino.csv", text).unwrap();
    assert_eq!(t.rows, 24);
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["time", "monthly"]);
    let v = t.columns[1].values.as_ref().unwrap();
    assert_eq!((v[0], v[11], v[12], v[23]), (1.0, 12.0, 13.0, 24.0));
    assert!(v[16].is_nan() && t.columns[1].missing == 1);
    assert_eq!(t.columns[0].values.as_ref().unwrap()[13], 1951.0 + 1.0 / 12.0);
    assert!(
        t.notes.iter().any(|n| n.contains("one monthly series in time order, 2 years x 12 = 24 values")),
        "{:?}",
        t.notes
    );
    assert_eq!(t.default_column(), Some(1));
    // Twelve columns that are not months, or years that skip, stay a table of series.
    let other = "Year,a,b,c,d,e,f,g,h,i,j,k,l\n1950,1,2,3,4,5,6,7,8,9,10,11,12\n";
    assert_eq!(csv::parse("t.csv", other).unwrap().columns.len(), 13);
    let gap = "Year,January,February,March,April,May,June,July,August,September,October,November,December\n\
               1950,1,2,3,4,5,6,7,8,9,10,11,12\n1952,1,2,3,4,5,6,7,8,9,10,11,12\n";
    assert_eq!(csv::parse("t.csv", gap).unwrap().columns.len(), 13);
    let full = gap.replace("1952", "1951");
    assert_eq!(csv::parse("t.csv", &full).unwrap().columns.len(), 2);
}
