-- TPC-DS Q70 (Appendix B.70): store net profit in a twelve-month window rolled up by state and
-- county for the top-ranked states, ranked within each parent level.
-- @param DMS 1200 ~ uniform(1176, 1224)
with state_ranking as (
    select
        s_state as ranked_state,
        rank() over (partition by s_state order by sum(ss_net_profit) desc) as ranking
    from store_sales, store, date_dim
    where d_month_seq between ${DMS} and ${DMS} + 11
      and d_date_sk = ss_sold_date_sk
      and s_store_sk = ss_store_sk
    group by s_state
),
rolled_up as (
    select
        sum(ss_net_profit) as total_sum,
        s_state,
        s_county,
        grouping(s_state) + grouping(s_county) as lochierarchy,
        grouping(s_county) as county_rolled_up
    from store_sales, date_dim, store
    where d_month_seq between ${DMS} and ${DMS} + 11
      and d_date_sk = ss_sold_date_sk
      and s_store_sk = ss_store_sk
      and s_state in (select ranked_state from state_ranking where ranking <= 5)
    group by rollup (s_state, s_county)
),
ranked as (
    select
        total_sum,
        s_state,
        s_county,
        lochierarchy,
        rank() over (
            partition by lochierarchy, case when county_rolled_up = 0 then s_state end
            order by total_sum desc
        ) as rank_within_parent
    from rolled_up
)
select total_sum, s_state, s_county, lochierarchy, rank_within_parent
from ranked
order by lochierarchy desc, case when lochierarchy = 0 then s_state end, rank_within_parent
limit 100
