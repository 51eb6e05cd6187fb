//! Tests of one model of the lab: training, drawing, inspection, walks, figures.

use super::*;
use crate::decoder::path_ratio;
use view::GROWTH_ROOM;

/// The model of `recipe` with `hidden` units on `data`, its view `size` pixels of ±4.
fn model_on(recipe: &str, data: Arc<Dataset>, hidden: usize, size: usize) -> Playground {
    let config = Config {
        hidden,
        ..Config::default()
    };
    let view = ViewSettings { range: 4.0, size };
    Playground::new(recipe.parse().unwrap(), config, view, data).unwrap()
}

fn small(recipe: &str) -> Playground {
    model_on(recipe, Arc::new(Dataset::digits()), 32, 120)
}

fn white(px: &[u8]) -> usize {
    px.chunks(4).filter(|c| c[..3] == [255, 255, 255]).count()
}

#[test]
fn settings_go_into_the_run_through_one_door_and_bad_ones_are_refused() {
    use crate::params::{PARAMS, Scope, Value};
    let mut p = small("vae");
    p.train(2).unwrap();
    let n = Value::Number;
    p.apply("beta", &n(0.0)).unwrap();
    p.apply("lr", &n(0.01)).unwrap();
    p.apply("noise", &Value::Word("mean".into())).unwrap();
    p.apply("batch", &n(16.0)).unwrap();
    p.apply("map", &Value::Flag(true)).unwrap();
    p.apply("range", &n(8.0)).unwrap();
    let c = p.trainer().config();
    assert_eq!(
        (c.beta, c.lr, c.noise, c.batch),
        (0.0, 0.01, Noise::Mean, 16)
    );
    assert!(p.map() && !p.fit());
    assert_eq!(p.view().range(), 8.0);
    p.apply("range", &Value::Word("fit".into())).unwrap();
    assert!(p.fit(), "range=fit is fit mode");
    p.apply("range", &n(4.0)).unwrap();
    assert!(!p.fit(), "a range ends fit mode");
    p.apply("fit", &Value::Flag(true)).unwrap();
    assert!(p.fit());
    // Each refusal says why, in the words the page shows, and changes nothing.
    let refused = |p: &mut Playground, key: &str, value: Value| p.apply(key, &value).unwrap_err();
    assert!(refused(&mut p, "beta", n(-1.0)).starts_with("β must be a number from 0 to 10"));
    assert_eq!(
        refused(&mut p, "lr", Value::Word("fast".into())),
        "lr must be a number"
    );
    assert_eq!(
        refused(&mut p, "batch", n(2.5)),
        "the batch size must be a whole number"
    );
    assert!(refused(&mut p, "batch", n(5000.0)).contains("larger than the data set"));
    assert_eq!(refused(&mut p, "map", n(1.0)), "map must be true or false");
    assert_eq!(
        refused(&mut p, "noise", n(3.0)),
        "noise is one of sample, mean, not \"\""
    );
    assert_eq!(
        refused(&mut p, "range", Value::Word("wide".into())),
        "range must be a number"
    );
    assert!(refused(&mut p, "range", n(0.1)).contains("axis range"));
    assert_eq!(
        refused(&mut p, "colour", n(1.0)),
        "there is no setting called \"colour\""
    );
    let c = p.trainer().config();
    assert_eq!(
        (c.beta, c.batch),
        (0.0, 16),
        "a refused value changes nothing"
    );
    assert_eq!(p.train(1).unwrap().steps, 1);
    // The settings of the run going on are the model's, but for the worker's own pace; no
    // other parameter of the table is a model's setting.
    for param in PARAMS {
        let value = crate::params::default_value(param);
        let taken = p.apply(param.key, &value).is_ok();
        let live = param.scope == Scope::Live && param.key != "speed";
        assert_eq!(taken, live, "{}", param.key);
    }
}

#[test]
fn models_of_one_lab_see_the_same_batches_and_draw_differently() {
    let mut vae = small("vae");
    let mut ae = small("ae");
    let r = vae.train(20).unwrap();
    let a = ae.train(20).unwrap();
    assert_eq!((r.steps, a.steps), (20, 20));
    assert!(r.loss.kl > 0.0 && a.loss.kl == 0.0);
    assert_eq!(vae.trainer().last_batch(), ae.trainer().last_batch());
    vae.draw();
    ae.draw();
    let (v, p) = (vae.pixels(), ae.pixels());
    assert_eq!(v.len(), 120 * 120 * 4);
    assert!(
        white(v) < 120 * 120 && white(p) < 120 * 120,
        "both views have drawing"
    );
    assert_ne!(v, p);
    let sigma = vae.mean_sigma().unwrap();
    assert!(sigma > 0.0 && sigma < 2.0, "{sigma}");
    assert_eq!(ae.mean_sigma(), None);
}

#[test]
fn a_recipes_own_beta_and_noise_hold_when_the_lab_changes() {
    let mut own = small("vae:beta=0:noise=mean");
    own.set_beta(3.0).unwrap();
    own.set_noise(Noise::Sample);
    let c = own.trainer().config();
    assert_eq!((c.beta, c.noise), (0.0, Noise::Mean));
    assert!(own.set_beta(-1.0).is_err(), "a bad β is still refused");
    let mut plain = small("vae");
    plain.set_beta(3.0).unwrap();
    assert_eq!(plain.trainer().config().beta, 3.0);
}

#[test]
fn picking_and_inspecting_a_sample() {
    let mut p = small("vae");
    p.train(5).unwrap();
    p.draw();
    let (mu, _) = p.codes();
    let (x, y) = p.view().to_pixel(mu[[7, 0]], mu[[7, 1]]);
    let picked = p.pick(x, y, 3.0).unwrap();
    let s = p.inspect(picked).unwrap();
    assert_eq!(s.input.len(), 64);
    assert_eq!(s.reading.recon.len(), 64);
    assert!(s.reading.recon.iter().all(|v| (0.0..=1.0).contains(v)));
    assert_eq!(s.label, p.data().labels[picked]);
    // The picked sample's μ is where the pointer was.
    let (mx, my) = p.view().to_pixel(s.reading.mu[0], s.reading.mu[1]);
    assert!((mx - x).abs() < 3.0 && (my - y).abs() < 3.0);
    assert!(s.reading.sigma.unwrap().iter().all(|&v| v > 0.0));
    assert!(p.inspect(5000).is_none());
    assert!(p.pick(-100.0, -100.0, 3.0).is_none());
    let mut ae = small("ae");
    assert_eq!(ae.inspect(3).unwrap().reading.sigma, None);
}

#[test]
fn fit_mode_follows_the_codes() {
    let mut p = small("ae");
    p.train(300).unwrap();
    p.draw();
    let target = p.fitted_range();
    assert!(target >= 2.5);
    // The AE's codes wander: the fitted range covers every one of them.
    let (codes, _) = p.codes();
    assert!(codes.iter().all(|v| v.abs() <= target));
    p.set_fit(true);
    p.draw();
    assert_eq!(p.view().range(), target, "the first fitted draw jumps");
    assert_eq!(p.view().outside(), 0, "no code off the fitted view");
    p.set_range(target * 4.0).unwrap();
    p.draw();
    assert_eq!(
        p.view().range(),
        target,
        "without training in between, at once"
    );
    p.set_range(target * 4.0).unwrap();
    p.train(1).unwrap();
    p.draw();
    let target = p.fitted_range();
    let r = p.view().range();
    assert!(
        r < target * 4.0 && r > target,
        "while training, draws shrink part of the way: {r}"
    );
    p.set_range(target * 4.0).unwrap();
    p.train(1).unwrap();
    p.settle_view();
    p.draw();
    assert_eq!(p.view().range(), p.fitted_range(), "settled: at once");
    p.set_range(target * 0.5).unwrap();
    p.train(1).unwrap();
    p.draw();
    let target = p.fitted_range();
    assert_eq!(
        p.view().range(),
        target * GROWTH_ROOM,
        "growing is at once, with room to spare"
    );
    p.draw();
    assert_eq!(
        p.view().range(),
        target * GROWTH_ROOM,
        "the axes hold still"
    );
    p.settle_view();
    p.draw();
    assert_eq!(p.view().range(), target, "settled when training stops");
    let r = p.view().range();
    p.set_fit(false);
    p.draw();
    assert_eq!(p.view().range(), r);
}

#[test]
fn spreading_codes_move_the_fitted_axes_now_and_then_not_on_every_frame() {
    // Early in training an autoencoder's codes spread on every frame.
    let mut p = small("ae");
    p.set_fit(true);
    p.draw();
    let (mut moves, mut grew) = (0, 1.0);
    let start = p.view().range();
    for _ in 0..60 {
        p.train(5).unwrap();
        let before = p.view().range();
        p.draw_training(false);
        let after = p.view().range();
        if after != before {
            moves += 1;
        }
        assert_eq!(p.view().outside(), 0, "every code in view");
        grew = after / start;
    }
    assert!(grew > 2.0, "the codes spread: the view grew {grew} times");
    assert!(moves <= 15, "the axes moved on {moves} frames of 60");
}

#[test]
fn at_a_set_speed_the_fitted_axes_hold_between_steps() {
    // A set speed draws frames between two steps: those hold the axes where they are, so
    // that a step's growth is not undone on the next frame and made again on the one after.
    let mut p = small("ae");
    p.set_fit(true);
    p.draw();
    let mut moves = 0;
    let start = p.view().range();
    let mut last = start;
    for _ in 0..40 {
        p.train(5).unwrap();
        for _ in 0..3 {
            p.draw_with(false);
            let range = p.view().range();
            if range != last {
                moves += 1;
            }
            last = range;
            assert_eq!(p.view().outside(), 0, "every code in view");
        }
    }
    assert!(last > 2.0 * start, "the codes spread: {start} to {last}");
    assert!(moves <= 15, "the axes moved on {moves} frames of 120");
}

#[test]
fn neighbourhood_scores() {
    let mut p = small("vae");
    p.train(100).unwrap();
    let (t, c) = p.neighbourhood(10).unwrap();
    for v in [t, c] {
        assert!(v > 0.5 && v <= 1.0, "{v}");
    }
    assert!(p.neighbourhood(2000).is_err());
}

#[test]
fn the_decoder_map_lies_under_the_view_and_changes_with_training() {
    let mut p = small("ae");
    assert!(p.map(), "the map shows by default");
    p.draw();
    let before = p.pixels().to_vec();
    p.set_map(false);
    p.draw();
    let plain = p.pixels().to_vec();
    assert_ne!(before, plain, "the map changes the background");
    assert!(white(&before) < white(&plain));
    p.set_map(true);
    p.train(50).unwrap();
    p.draw();
    assert_ne!(p.pixels(), &before[..], "training changes the map");
    let image = p.decode_at(0.3, -0.2);
    assert_eq!(image.len(), 64);
    assert!(image.iter().all(|v| (0.0..=1.0).contains(v)));
    assert_ne!(small("vae").decode_at(0.3, -0.2), image);
}

#[test]
fn the_map_is_kept_between_refreshes_unless_the_range_changes() {
    let mut p = small("ae");
    p.draw();
    let first = p.pixels().to_vec();
    p.train(40).unwrap();
    p.set_map(false);
    p.draw_with(false);
    let points_only = p.pixels().to_vec();
    p.set_map(true);
    p.draw_with(false);
    let kept = p.pixels().to_vec();
    assert_ne!(kept, points_only, "a map comes back after it was off");
    p.draw();
    let fresh = p.pixels().to_vec();
    assert_ne!(fresh, first);
    // The same frame drawn without refreshing keeps the map: identical pixels.
    p.draw_with(false);
    assert_eq!(p.pixels(), &fresh[..]);
    p.train(40).unwrap();
    p.draw_with(false);
    let stale = p.pixels().to_vec();
    p.draw();
    assert_ne!(p.pixels(), &stale[..], "a refresh decodes the trained map");
    // A new range always decodes the map anew.
    p.set_range(6.0).unwrap();
    p.draw_with(false);
    let wide = p.pixels().to_vec();
    p.draw();
    assert_eq!(p.pixels(), &wide[..]);
}

#[test]
fn interpolating_between_two_samples() {
    let mut p = small("vae");
    p.train(30).unwrap();
    let strip = p.interpolate(3, 40).unwrap();
    assert_eq!(strip.images.len(), STRIP_STEPS * 64);
    // The ends are the reconstructions from the codes.
    let s3 = p.inspect(3).unwrap();
    let s40 = p.inspect(40).unwrap();
    assert_eq!(&strip.images[..64], &s3.reading.recon[..]);
    assert_eq!(
        &strip.images[(STRIP_STEPS - 1) * 64..],
        &s40.reading.recon[..]
    );
    assert_eq!(p.pair(), Some((3, 40)));
    p.draw();
    let with_path = p.pixels().to_vec();
    p.clear_pair();
    p.draw();
    assert_ne!(p.pixels(), &with_path[..], "the path is drawn");
    assert!(p.interpolate(0, 5000).is_none());
    assert_eq!(p.pair(), None);
    let labels = p.data().labels.clone();
    for same in [true, false] {
        let (i, j) = p.random_pair(same);
        assert_ne!(i, j);
        assert_eq!(labels[i] == labels[j], same);
    }
    // Every model of a lab draws the same pairs from the seed.
    let mut other = small("ae");
    let mut again = small("vae");
    assert_eq!(other.random_pair(true), again.random_pair(true));
}

#[test]
fn a_drawn_input_is_encoded_and_marked() {
    let mut p = small("ae");
    p.train(30).unwrap();
    assert!(p.set_drawing(Some(vec![0.5; 3])).is_err());
    assert!(p.set_drawing(Some(vec![f32::NAN; 64])).is_err());
    let seven = p.data().x.row(7).to_vec();
    p.set_drawing(Some(seven)).unwrap();
    let drawn = p.drawing().unwrap();
    let known = p.inspect(7).unwrap();
    assert_eq!(drawn, known.reading);
    p.draw();
    let marked = p.pixels().to_vec();
    p.set_drawing(None).unwrap();
    assert!(p.drawing().is_none());
    p.draw();
    assert_ne!(p.pixels(), &marked[..]);
}

#[test]
fn path_ratio_and_active_dimensions() {
    let mut p = small("vae");
    p.train(200).unwrap();
    // The ratio along the seed's own pairs, between the codes as they are now (not as
    // they were at the last draw).
    let r = p.path_ratio();
    p.encode_all();
    let (mu, _) = p.codes();
    let pairs = random_pairs(mu.nrows(), 0);
    let mut ws = Workspace::new(PATH_STEPS + 1, p.trainer().model().sizes);
    let want = path_ratio(p.trainer().model(), mu.view(), &pairs, &mut ws);
    assert_eq!(r, want);
    p.draw();
    assert!(
        p.active_dims() >= 1,
        "after training, the codes carry something"
    );
    let mut collapsed = small("vae:beta=10");
    collapsed.train(300).unwrap();
    collapsed.draw();
    assert_eq!(
        collapsed.active_dims(),
        0,
        "β = 10 pushes every dimension onto the prior"
    );
}

#[test]
fn weights_of_the_other_kind_are_refused() {
    let mut p = small("vae");
    let ae = small("ae").trainer().model().clone();
    let e = p.load_model(ae).unwrap_err();
    assert!(e.contains("ae weights; this model is a vae"), "{e}");
}

#[test]
fn weights_loaded_during_a_tear_end_it_and_a_refused_load_does_not() {
    let mut p = small("vae");
    p.train(40).unwrap();
    p.start_tear();
    p.advance_tear(2);
    // Refused weights change nothing: the tear goes on.
    let ae = small("ae").trainer().model().clone();
    assert!(p.load_model(ae).is_err());
    assert!(p.tearing(), "a refused load ended the tear");
    // Loaded weights end the tear of the weights they replace; the view draws their codes.
    let mut other = small("vae");
    other.train(60).unwrap();
    p.load_model(other.trainer().model().clone()).unwrap();
    assert!(!p.tearing(), "the tear of the old weights goes on");
    assert!(p.tear_report().is_none());
    p.draw();
    let drawn = p.codes().0.clone();
    p.encode_all();
    assert_eq!(
        &drawn,
        p.codes().0,
        "torn codes of the old weights left in the view"
    );
}

#[test]
fn bad_ranges_are_refused() {
    let mut p = small("ae");
    for bad in [0.0, -1.0, 0.3, f32::NAN, 1e9] {
        assert_eq!(
            p.set_range(bad).unwrap_err().to_string(),
            ConfigError::Range(bad).to_string()
        );
    }
    assert!(p.set_range(8.0).is_ok());
    assert_eq!(p.view().range(), 8.0);
}

#[test]
fn the_decoder_map_as_tiles_follows_the_view() {
    let mut p = small("vae");
    p.train(200).unwrap();
    p.set_map(false);
    p.draw();
    assert!(p.tiles().is_none(), "no tiles until asked for");
    p.set_tiles(true);
    p.draw();
    let size = p.tiles_size();
    assert_eq!(
        size,
        5 * 9 + 1,
        "5 tiles of 8 pixels (120 / 24) and their borders"
    );
    let (rgba, drawn) = p.tiles().unwrap();
    assert_eq!((rgba.len(), drawn), (size * size * 4, 1));
    let inked = rgba.chunks(4).filter(|px| px[0] < 128).count();
    assert!(
        inked > size * size / 50,
        "decoded strokes: {inked} dark pixels"
    );
    let first = rgba.to_vec();
    // While training, a draw may keep the map; a new range always redraws it.
    p.draw_with(false);
    assert_eq!(p.tiles().unwrap().1, 1);
    p.set_range(8.0).unwrap();
    p.draw_with(false);
    let (rgba, drawn) = p.tiles().unwrap();
    assert_eq!(drawn, 2);
    assert_ne!(rgba, &first[..], "a wider square of the plane");
    p.set_tiles(false);
    p.draw();
    assert!(p.tiles().is_none());
}

#[test]
fn a_large_data_set_is_drawn_and_inspected_on_its_evaluation_subset() {
    // 3 × EVAL_SAMPLES samples of 4 × 4: the model trains on all, the view draws the subset,
    // and sample k of the view is row `rows[k]` of the training data, also for free codes.
    let n = 3 * crate::data::EVAL_SAMPLES;
    let x = Array2::from_shape_fn((n, 16), |(i, j)| ((i * 16 + j) as f32 * 0.618).fract());
    let labels = (0..n).map(|i| (i % 10) as u8).collect();
    let big = Arc::new(Dataset::of_classes("big", x, labels, (4, 4)));
    let rows = big.evaluation_rows();
    for recipe in ["vae", "ae:free"] {
        let mut p = model_on(recipe, big.clone(), 16, 64);
        p.train(3).unwrap();
        assert_eq!(p.training_data().len(), n);
        assert_eq!(p.data().len(), crate::data::EVAL_SAMPLES);
        p.draw();
        let mu = p.codes().0.to_owned();
        assert_eq!(mu.nrows(), crate::data::EVAL_SAMPLES);
        let k = 1234;
        let s = p.inspect(k).unwrap();
        assert_eq!(s.input, big.x.row(rows[k] as usize).to_vec(), "{recipe}");
        assert_eq!(
            s.reading.mu,
            mu.row(k).to_vec(),
            "{recipe}: the view's code of k"
        );
        let mut own = Workspace::new(1, p.trainer().model().sizes);
        p.trainer().encode_one(rows[k] as usize, &mut own);
        assert_eq!(
            own.mu.row(0).to_vec(),
            s.reading.mu,
            "{recipe}: training row rows[k]"
        );
        if recipe == "vae" {
            // The tear works on the codes the view draws, and the view shows them torn.
            let report = p.start_tear();
            assert!((0.0..=1.0).contains(&report.moved), "{}", report.moved);
            p.advance_tear(2);
            p.draw();
            assert!(p.tear_report().is_some());
            // Training again ends the tear, and its first frame draws the model's own codes,
            // none of the torn ones (though its batches, from the whole set, passed few).
            p.train(1).unwrap();
            assert!(p.tear_report().is_none());
            p.draw_training(false);
            let drawn = p.codes().0.to_owned();
            p.encode_all();
            assert_eq!(&drawn, p.codes().0, "torn codes left in the view");
            // A pull holds the drawn samples k and 7 apart: training rows rows[k], rows[7].
            p.set_pull(Some(crate::train::Pull {
                pair: (k, 7),
                distance: 2.0,
            }))
            .unwrap();
            let held = p.trainer().pull().unwrap().pair;
            assert_eq!(held, (rows[k] as usize, rows[7] as usize));
            assert_eq!(p.pull_report().unwrap().pair, (k, 7));
            let past = crate::train::Pull {
                pair: (k, crate::data::EVAL_SAMPLES),
                distance: 2.0,
            };
            assert!(p.set_pull(Some(past)).is_err(), "past the drawn samples");
        }
    }
}

#[test]
fn the_codes_encoded_a_few_samples_at_a_time_are_those_of_one_pass_over_all() {
    for recipe in ["vae", "ae", "ae:sigma=0.5"] {
        let mut p = small(recipe);
        p.train(40).unwrap();
        p.encode_all();
        let n = p.data().len();
        assert!(!n.is_multiple_of(STALE_ROWS), "a short last chunk too");
        let mut whole = Workspace::new(n, p.trainer().model().sizes);
        p.trainer().model().encode(p.data().x.view(), &mut whole);
        let (mu, logvar) = p.codes();
        assert_eq!(mu, &whole.mu, "{recipe}");
        match p.is_vae() {
            true => assert_eq!(logvar, &whole.logvar, "{recipe}"),
            // An AE's log σ² is its fixed noise's (2 ln σ₀), or 0, as set at the start.
            false => {
                let set = p.recipe().sigma.map_or(0.0, |s| 2.0 * s.ln());
                assert!(logvar.iter().all(|&v| v == set), "{recipe}: {logvar}");
            }
        }
    }
}

#[test]
fn a_frame_while_training_draws_the_codes_its_batches_computed() {
    for recipe in ["vae", "ae"] {
        let mut p = small(recipe);
        let epoch = p.trainer().batches_per_epoch() as u32;
        p.train(300).unwrap();
        p.draw_training(false);
        let before = p.codes().0.clone();
        // A few epochs on: every sample has passed through the encoder, and the frame draws
        // the codes its batches computed (the last batch's exactly) instead of encoding.
        p.train(3 * epoch).unwrap();
        p.draw_training(false);
        let (mu, logvar) = (p.codes().0.clone(), p.codes().1.clone());
        let (batch_mu, batch_logvar) = p.trainer().last_codes();
        for (b, &row) in p.trainer().last_batch().iter().enumerate() {
            assert_eq!(mu.row(row as usize), batch_mu.row(b), "{recipe}");
            if recipe == "vae" {
                assert_eq!(logvar.row(row as usize), batch_logvar.row(b));
            }
        }
        p.encode_all();
        let (fresh_mu, fresh_logvar) = p.codes();
        assert_ne!(&mu, fresh_mu, "{recipe}: the frame did not encode afresh");
        // Each code from the weights of a step after the last frame: closer to the weights'
        // own than the last frame's codes.
        let off = |a: &Array2<f32>| (a - fresh_mu).iter().fold(0.0f32, |m, d| m.max(d.abs()));
        assert!(
            off(&mu) < off(&before),
            "{recipe}: {} {}",
            off(&mu),
            off(&before)
        );
        if recipe == "ae" {
            assert_eq!(&logvar, fresh_logvar, "an AE's log σ² stays");
        }
        // An epoch since the last frame: the samples no batch has passed since are encoded
        // by the frame itself.
        let mut visited = std::collections::BTreeSet::new();
        for _ in 0..epoch {
            p.train(1).unwrap();
            visited.extend(p.trainer().last_batch().iter().map(|&i| i as usize));
        }
        p.draw_training(false);
        let drawn = p.codes().0.clone();
        p.encode_all();
        let unvisited: Vec<usize> = (0..drawn.nrows())
            .filter(|i| !visited.contains(i))
            .collect();
        assert!(!unvisited.is_empty() && 4 * unvisited.len() < drawn.nrows());
        for &i in &unvisited {
            assert_eq!(drawn.row(i), p.codes().0.row(i), "{recipe}: sample {i}");
        }
        assert_ne!(&drawn, p.codes().0);
        // One batch between two frames: most samples have old codes, and each frame encodes
        // a quarter of the samples itself, going round them, so that no code drawn is more
        // than four frames old. (The batch's codes are kept before the frame.)
        let n = drawn.nrows();
        let mut age = vec![0; n]; // frames since each sample's code last changed
        for frame in 0..12 {
            p.train(1).unwrap();
            let batch: Vec<usize> = p
                .trainer()
                .last_batch()
                .iter()
                .map(|&i| i as usize)
                .collect();
            let before = p.codes().0.clone();
            p.draw_training(false);
            let after = p.codes().0;
            let encoded: Vec<usize> = (0..n).filter(|&i| after.row(i) != before.row(i)).collect();
            assert!(
                encoded.len() <= n.div_ceil(4) && 4 * encoded.len() >= n - batch.len(),
                "{recipe}: frame {frame} encoded {} of {n} samples",
                encoded.len()
            );
            for (i, a) in age.iter_mut().enumerate() {
                *a = match encoded.contains(&i) || batch.contains(&i) {
                    true => 0,
                    false => *a + 1,
                };
            }
            let oldest = age.iter().max().unwrap();
            assert!(
                frame < 3 || *oldest < 4,
                "{recipe}: a code {oldest} frames old"
            );
        }
        // A frame once training stops encodes every sample afresh.
        p.train(3 * epoch).unwrap();
        p.draw_with(false);
        let settled = p.codes().0.clone();
        p.encode_all();
        assert_eq!(&settled, p.codes().0, "{recipe}");
        // Weights loaded between two frames: the next frame encodes with them.
        p.train(3 * epoch).unwrap();
        let mut other = small(recipe);
        other.train(50).unwrap();
        p.load_model(other.trainer().model().clone()).unwrap();
        p.draw_training(false);
        let loaded = p.codes().0.clone();
        p.encode_all();
        assert_eq!(&loaded, p.codes().0, "{recipe}");
    }
}
