# Sourced by the test scripts: the runners of the simulator that SIM names
# (docs/simulators.md), Verilator's unless SIM says otherwise.
#   die_runner CONFIG    tessera-sim around one die of build/rtl/CONFIG
#   mesh_runner CONFIG   tessera-mesh around its mesh top
case ${SIM:-verilator} in
  verilator) sim_die_dir=sim sim_mesh_dir=mesh ;;
  icarus) sim_die_dir=icarus sim_mesh_dir=icarus ;;
  *) echo "SIM=$SIM: expected verilator or icarus" >&2; exit 2 ;;
esac
die_runner() { echo "$B/$sim_die_dir/$1/tessera-sim"; }
mesh_runner() { echo "$B/$sim_mesh_dir/$1/tessera-mesh"; }
