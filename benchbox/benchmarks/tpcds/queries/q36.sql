-- TPC-DS Q36 (Appendix B.36): gross margin (net profit over sales) of store sales in a year in stores of
-- eight states, per item category and class with rollup, ranked within each parent level.
-- @param STATES ['TN', 'TN', 'TN', 'TN', 'TN', 'TN', 'TN', 'TN'] ~ [choice(vocab('store_states')), choice(vocab('store_states')), choice(vocab('store_states')), choice(vocab('store_states')), choice(vocab('store_states')), choice(vocab('store_states')), choice(vocab('store_states')), choice(vocab('store_states'))]
-- @param YEAR 2001 ~ uniform(1998, 2002)
select *
from (
    select
        sum(ss_net_profit) / sum(ss_ext_sales_price) as gross_margin,
        i_category,
        i_class,
        grouping(i_category) + grouping(i_class) as lochierarchy,
        rank() over (
            partition by
                grouping(i_category) + grouping(i_class),
                case when grouping(i_class) = 0 then i_category end
            order by sum(ss_net_profit) / sum(ss_ext_sales_price) asc
        ) as rank_within_parent
    from store_sales, date_dim, item, store
    where d_year = ${YEAR}
      and d_date_sk = ss_sold_date_sk
      and i_item_sk = ss_item_sk
      and s_store_sk = ss_store_sk
      and s_state in (${STATES})
    group by rollup (i_category, i_class)
) margins
order by
    lochierarchy desc,
    case when lochierarchy = 0 then i_category end,
    rank_within_parent
limit 100
