//! The selector: a [`Request`] and a [`Catalog`] → a [`ComponentGraph`], or why not.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::catalog::Catalog;
use crate::graph::{ComponentGraph, SelectedComponent};
use crate::manifest::ComponentManifest;
use crate::request::{Need, Reason, Request};
use crate::rules::{self, Choice};

/// Why no image can be made from a request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// Nothing in the catalog provides a needed contract.
    #[error("no component provides `{contract}`, needed because {}", .reason.describe())]
    Unsatisfiable {
        /// The contract.
        contract: String,
        /// Who needed it.
        reason: Reason,
    },
    /// A needed component is not in the catalog.
    #[error("the catalog has no component `{name}`, needed because {}", .reason.describe())]
    UnknownComponent {
        /// The component.
        name: String,
        /// Who needed it.
        reason: Reason,
    },
    /// A contract has several providers and no rule picks one.
    #[error("`{contract}` has several providers ({}) and no selector rule picks one", .providers.join(", "))]
    Ambiguous {
        /// The contract.
        contract: String,
        /// Its providers.
        providers: Vec<String>,
    },
    /// Two selected components conflict.
    #[error("`{first}` and `{second}` cannot be in one image (`{first}` conflicts with it)")]
    Conflict {
        /// The component declaring the conflict.
        first: String,
        /// The other.
        second: String,
    },
    /// Selected components require each other in a circle.
    #[error("components require each other in a cycle: {}", .members.join(" → "))]
    Cycle {
        /// The components on the cycle.
        members: Vec<String>,
    },
    /// A component requires one initialised in a later stage.
    #[error("`{component}` (stage {}) requires `{dependency}`, initialised later (stage {})", .stage.as_str(), .dependency_stage.as_str())]
    StageOrder {
        /// The requiring component.
        component: String,
        /// Its stage.
        stage: crate::Stage,
        /// The required one.
        dependency: String,
        /// Its stage.
        dependency_stage: crate::Stage,
    },
}

/// Selects the components `request` needs from `catalog`.
pub fn select(catalog: &Catalog, request: &Request) -> Result<ComponentGraph, SelectError> {
    let mut selection = Selection {
        catalog,
        chosen: BTreeMap::new(),
        queue: request.needs.iter().cloned().collect(),
        later: Vec::new(),
        conditional: Vec::new(),
    };
    selection
        .queue
        .extend(rules::platform_needs(&request.platform));
    selection.drain(request)?;
    selection.add_conditional(request)?;
    while let Some((contract, _reason)) = selection.later.pop() {
        if selection.provider_of(&contract).is_some() {
            continue;
        }
        let selected: Vec<&ComponentManifest> = selection
            .chosen
            .values()
            .map(|(manifest, _)| *manifest)
            .collect();
        let (name, reason) = rules::choose_heap(&request.platform, &selected);
        selection
            .queue
            .push_back(Need::Component(name.to_owned(), reason));
        selection.drain(request)?;
    }
    selection.check_conflicts()?;
    let order = selection.order()?;
    let components = order
        .into_iter()
        .map(|name| {
            let (manifest, reason) = &selection.chosen[name];
            let requires = manifest
                .requires
                .iter()
                .filter_map(|contract| selection.provider_of(contract))
                .map(str::to_owned)
                .collect();
            let uses = manifest
                .uses
                .iter()
                .filter(|contract| selection.provider_of(contract).is_some())
                .cloned()
                .collect();
            let collected = manifest
                .collects
                .iter()
                .map(|contract| {
                    (
                        contract.clone(),
                        selection
                            .providers_of(contract)
                            .iter()
                            .map(|name| (*name).to_owned())
                            .collect(),
                    )
                })
                .collect();
            SelectedComponent::new(manifest, reason.clone(), requires, uses, collected)
        })
        .collect();
    Ok(ComponentGraph {
        platform: request.platform,
        components,
    })
}

struct Selection<'a> {
    catalog: &'a Catalog,
    chosen: BTreeMap<&'a str, (&'a ComponentManifest, Reason)>,
    queue: VecDeque<Need>,
    later: Vec<(String, Reason)>,
    /// `Need::ComponentWith`s: (component, when, reason), decided once the rest is chosen.
    conditional: Vec<(String, String, Reason)>,
}

impl<'a> Selection<'a> {
    /// Resolves queued needs until none is left (deferred contracts aside).
    fn drain(&mut self, request: &Request) -> Result<(), SelectError> {
        while let Some(need) = self.queue.pop_front() {
            match need {
                Need::Component(name, reason) => self.add(&name, reason)?,
                Need::ComponentWith {
                    component,
                    when,
                    reason,
                } => self.conditional.push((component, when, reason)),
                Need::Contract(contract, reason) => {
                    if self.provider_of(&contract).is_some() {
                        continue;
                    }
                    let providers = self.catalog.providers(&contract);
                    match providers.as_slice() {
                        [] => return Err(SelectError::Unsatisfiable { contract, reason }),
                        [only] => self.add(&only.name.clone(), reason)?,
                        _ => match rules::choose(&contract, &request.platform) {
                            Choice::Component(name, rule) => self.add(name, rule)?,
                            Choice::Later => self.later.push((contract, reason)),
                            Choice::NoRule => {
                                return Err(SelectError::Ambiguous {
                                    contract,
                                    providers: providers.iter().map(|p| p.name.clone()).collect(),
                                })
                            }
                        },
                    }
                }
            }
        }
        Ok(())
    }

    /// Adds each conditional component whose condition the selection meets, with what it
    /// needs, until no more condition is met.
    fn add_conditional(&mut self, request: &Request) -> Result<(), SelectError> {
        loop {
            let met = self.conditional.iter().position(|(component, when, _)| {
                self.chosen.contains_key(when.as_str())
                    && !self.chosen.contains_key(component.as_str())
            });
            let Some(index) = met else {
                return Ok(());
            };
            let (component, _, reason) = self.conditional.remove(index);
            self.queue.push_back(Need::Component(component, reason));
            self.drain(request)?;
        }
    }

    fn add(&mut self, name: &str, reason: Reason) -> Result<(), SelectError> {
        if self.chosen.contains_key(name) {
            return Ok(());
        }
        let manifest = self
            .catalog
            .get(name)
            .ok_or_else(|| SelectError::UnknownComponent {
                name: name.to_owned(),
                reason: reason.clone(),
            })?;
        for contract in &manifest.requires {
            let why = Reason::rule(format!("{} requires `{contract}`", manifest.name));
            self.queue.push_back(Need::Contract(contract.clone(), why));
        }
        for contract in &manifest.within {
            let why = Reason::rule(format!("{} runs within `{contract}`", manifest.name));
            self.queue.push_back(Need::Contract(contract.clone(), why));
        }
        self.chosen
            .insert(manifest.name.as_str(), (manifest, reason));
        Ok(())
    }

    /// The selected component providing `contract`, the first by name when several do.
    fn provider_of(&self, contract: &str) -> Option<&'a str> {
        self.chosen
            .values()
            .find(|(manifest, _)| {
                manifest
                    .provides
                    .iter()
                    .any(|provided| provided == contract)
            })
            .map(|(manifest, _)| manifest.name.as_str())
    }

    /// Every selected component providing `contract`, by name.
    fn providers_of(&self, contract: &str) -> Vec<&'a str> {
        self.chosen
            .values()
            .filter(|(manifest, _)| {
                manifest
                    .provides
                    .iter()
                    .any(|provided| provided == contract)
            })
            .map(|(manifest, _)| manifest.name.as_str())
            .collect()
    }

    fn check_conflicts(&self) -> Result<(), SelectError> {
        for (name, (manifest, _)) in &self.chosen {
            if let Some(other) = manifest
                .conflicts
                .iter()
                .find(|other| self.chosen.contains_key(other.as_str()))
            {
                return Err(SelectError::Conflict {
                    first: (*name).to_owned(),
                    second: other.clone(),
                });
            }
        }
        Ok(())
    }

    /// Dependencies first; among components ready at once, earlier stage then name first. A
    /// component comes after what it requires or uses, after every provider of what it
    /// collects, and before what it runs within.
    fn order(&self) -> Result<Vec<&'a str>, SelectError> {
        let mut dependencies: BTreeMap<&str, BTreeSet<&str>> = self
            .chosen
            .keys()
            .map(|name| (*name, BTreeSet::new()))
            .collect();
        for (name, (manifest, _)) in &self.chosen {
            let mut edges: Vec<(&'a str, &'a str)> = Vec::new();
            for contract in manifest.requires.iter().chain(&manifest.uses) {
                if let Some(provider) = self.provider_of(contract) {
                    edges.push((name, provider));
                }
            }
            for contract in &manifest.collects {
                for provider in self.providers_of(contract) {
                    edges.push((name, provider));
                }
            }
            for contract in &manifest.within {
                if let Some(provider) = self.provider_of(contract) {
                    edges.push((provider, name));
                }
            }
            for (component, dependency) in edges.into_iter().filter(|(a, b)| a != b) {
                let (component_manifest, dependency_manifest) =
                    (self.chosen[component].0, self.chosen[dependency].0);
                if dependency_manifest.stage > component_manifest.stage {
                    return Err(SelectError::StageOrder {
                        component: component.to_owned(),
                        stage: component_manifest.stage,
                        dependency: dependency.to_owned(),
                        dependency_stage: dependency_manifest.stage,
                    });
                }
                if let Some(set) = dependencies.get_mut(component) {
                    set.insert(dependency);
                }
            }
        }
        let mut order = Vec::new();
        while !dependencies.is_empty() {
            let ready = dependencies
                .iter()
                .filter(|(_, needed)| needed.is_empty())
                .map(|(name, _)| *name)
                .min_by_key(|name| (self.chosen[name].0.stage, *name));
            let Some(next) = ready else {
                return Err(SelectError::Cycle {
                    members: self.cycle(&dependencies),
                });
            };
            dependencies.remove(next);
            for needed in dependencies.values_mut() {
                needed.remove(next);
            }
            order.push(self.chosen[next].0.name.as_str());
        }
        Ok(order)
    }

    /// One cycle among `remaining` (every one of which waits for another), in order.
    fn cycle(&self, remaining: &BTreeMap<&str, BTreeSet<&str>>) -> Vec<String> {
        let mut path: Vec<&str> = Vec::new();
        let mut current = *remaining.keys().next().expect("a cycle has members");
        while !path.contains(&current) {
            path.push(current);
            current = remaining[current]
                .iter()
                .next()
                .copied()
                .expect("every member waits");
        }
        let start = path.iter().position(|name| *name == current).unwrap_or(0);
        let mut members: Vec<String> = path[start..]
            .iter()
            .map(|name| (*name).to_owned())
            .collect();
        members.push(current.to_owned());
        members
    }
}

#[cfg(test)]
mod tests;
