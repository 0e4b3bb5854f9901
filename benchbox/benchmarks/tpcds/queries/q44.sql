-- TPC-DS Q44 (Appendix B.44): the ten best and ten worst items of a store by average net profit, among
-- items whose average exceeds 90% of the store's average profit on sales with a given key missing.
-- The kit draws STORE from 1 to the store table's row count (12 at SF 1); the bound is fixed at 12.
-- @param NULLCOLSS 'ss_addr_sk' ~ choice(['ss_customer_sk', 'ss_cdemo_sk', 'ss_hdemo_sk', 'ss_addr_sk', 'ss_promo_sk'])
-- @param STORE 4 ~ uniform(1, 12)
with item_profit as (
    select ss_item_sk as item_sk, avg(ss_net_profit) as avg_profit
    from store_sales
    where ss_store_sk = ${STORE}
    group by ss_item_sk
    having avg(ss_net_profit) > 0.9 * (
        select avg(ss_net_profit)
        from store_sales
        where ss_store_sk = ${STORE}
          and ${NULLCOLSS} is null
        group by ss_store_sk
    )
),
ranked as (
    select
        item_sk,
        rank() over (order by avg_profit asc) as rank_asc,
        rank() over (order by avg_profit desc) as rank_desc
    from item_profit
),
low_ranks as (
    select item_sk, rank_asc as rnk from ranked where rank_asc < 11
),
high_ranks as (
    select item_sk, rank_desc as rnk from ranked where rank_desc < 11
)
select
    low_ranks.rnk,
    best.i_product_name as best_performing,
    worst.i_product_name as worst_performing
from low_ranks, high_ranks, item best, item worst
where low_ranks.rnk = high_ranks.rnk
  and best.i_item_sk = low_ranks.item_sk
  and worst.i_item_sk = high_ranks.item_sk
order by low_ranks.rnk
limit 100
